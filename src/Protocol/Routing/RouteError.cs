namespace Gateway.Protocol.Routing;

/// <summary>A route that cannot be used: the configuration key (<c>Delivery:Routes:example.com</c>) and why.</summary>
public sealed record RouteError(string Key, string Message);
