using Gateway.Tls;

namespace Gateway.Cli;

/// <summary><c>gateway ca init</c>: where the CA goes (<c>ca.crt</c>, <c>ca.key</c>), its name, lifetime and key.</summary>
internal sealed record CaInitPlan(string Out, string CommonName, int Days, KeyKind Kind);
