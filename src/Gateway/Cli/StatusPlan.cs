namespace Gateway.Cli;

/// <summary>What <c>gateway status</c> was asked: which node, the table or its JSON, once or until Ctrl-C.</summary>
/// <param name="Status">The node's /api/status address.</param>
internal sealed record StatusPlan(Uri Status, bool Json, bool Watch)
{
    public static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);

    public string Node => Status.GetLeftPart(UriPartial.Authority);
}
