namespace Gateway.Protocol.Tls;

/// <summary>Why no CN could be taken from a DN (SPEC R43).</summary>
public enum CnError
{
    None,

    /// <summary>No CN attribute at all; sendmail logs it at LogLevel &gt;8 (R80).</summary>
    Unknown,

    /// <summary>The CN has 255 or more bytes; logged at LogLevel &gt;7.</summary>
    TooLong,

    /// <summary>The CN has an embedded NUL byte (also every BMPString CN); logged at LogLevel &gt;7.</summary>
    ContainsNul,
}
