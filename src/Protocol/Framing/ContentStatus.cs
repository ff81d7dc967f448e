namespace Gateway.Protocol.Framing;

/// <summary>How a DATA or BDAT body ended, judged only once the whole body has been read.</summary>
public enum ContentStatus
{
    Ok,
    TooBig,
    BareLineEnding,
    LineTooLong,
}
