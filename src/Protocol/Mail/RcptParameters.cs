namespace Gateway.Protocol.Mail;

/// <summary>The ESMTP parameters of RCPT (RFC 3461 NOTIFY and ORCPT), kept with the recipient.</summary>
public sealed record RcptParameters(DsnNotify Notify, string? Orcpt)
{
    public static readonly RcptParameters None = new(DsnNotify.Unspecified, null);
}
