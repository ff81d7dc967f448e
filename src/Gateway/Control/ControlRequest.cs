namespace Gateway.Control;

/// <summary>
/// One request line on the control socket: <c>{"op":"list"}</c>, <c>{"op":"flush"}</c>, <c>{"op":"hold","id":"…"}</c>.
/// <see cref="Op"/> is nullable because the wire may leave it out; the server answers that as a bad request.
/// </summary>
/// <param name="File">For <c>map-push</c>: the map file's absolute path, which the node reads and checks itself.</param>
internal sealed record ControlRequest(string? Op, string? Id = null, string? File = null)
{
    public const string List = "list";
    public const string Flush = "flush";
    public const string Hold = "hold";
    public const string Release = "release";
    public const string Delete = "delete";
    public const string Bounce = "bounce";

    /// <summary>Stop the node gracefully (as SIGTERM does): transactions in flight finish, then it exits 0.</summary>
    public const string Drain = "drain";

    /// <summary>Publish a map file to the whole cluster (<c>gateway map push</c>).</summary>
    public const string MapPush = "map-push";

    /// <summary>Which map version this node decides with (<c>gateway map status</c>).</summary>
    public const string MapStatus = "map-status";
}
