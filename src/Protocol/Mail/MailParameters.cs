namespace Gateway.Protocol.Mail;

/// <summary>The ESMTP parameters of MAIL that the server advertises and keeps with the envelope.</summary>
public sealed record MailParameters(long? Size, BodyType Body, bool SmtpUtf8, DsnReturn Ret, string? EnvId)
{
    public static readonly MailParameters None = new(null, BodyType.Unspecified, false, DsnReturn.Unspecified, null);
}
