namespace Gateway.Protocol.Access;

/// <summary>The access-map settings besides the map itself: R53's reply codes and R61's regex transforms.</summary>
public sealed record AccessPolicySettings(ReplyCodeStyle ReplyCodes = ReplyCodeStyle.Sendmail, CertRegex? IssuerRegex = null, CertRegex? SubjectRegex = null)
{
    public static readonly AccessPolicySettings Default = new();
}
