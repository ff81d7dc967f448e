using Gateway.Tls;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway ca issue</c>: the CA directory, the certificate's CN and subject alternative names (already defaulted
/// to the CN where that is a host name), what it is for, where it goes, its lifetime and key.
/// </summary>
internal sealed record CaIssuePlan(string Ca, string CommonName, IReadOnlyList<string> Names, CertificateUsage Usage, string Out, int Days, KeyKind Kind);
