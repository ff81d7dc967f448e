namespace Gateway.Protocol.Routing;

/// <summary>One MX record of a mail domain: its preference (lower first) and the exchange's host name.</summary>
public readonly record struct MxRecord(int Preference, string Exchange);
