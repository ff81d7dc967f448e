using Gateway.Actors.Queue;

namespace Gateway.Control;

/// <summary>
/// The one answer line to a request. <see cref="Ok"/> false with no <see cref="Error"/>: the queue did nothing and
/// <see cref="Text"/> is its reason (no such message). With <see cref="Error"/>: the request never reached the queue.
/// </summary>
/// <param name="Messages">For <c>list</c>: the queue's listing, oldest first.</param>
/// <param name="Error">One of the constants below when the socket, not the queue, answered.</param>
/// <param name="Map">For <c>map-push</c> and <c>map-status</c>: the version the node now decides with.</param>
internal sealed record ControlAnswer(bool Ok, string Text, IReadOnlyList<QueueListing>? Messages = null, string? Error = null, MapView? Map = null)
{
    /// <summary>Not JSON, not a request object, an unknown op, or an id missing or given where none is taken.</summary>
    public const string BadRequest = "bad-request";

    /// <summary>A line longer than the socket reads (<see cref="ControlSocket.MaxLine"/>); dropped to its line feed, and the connection goes on.</summary>
    public const string TooLong = "too-long";

    /// <summary>The queue did not answer in time (a node shutting down, or stuck).</summary>
    public const string Timeout = "timeout";

    /// <summary>Too many control connections at once.</summary>
    public const string Busy = "busy";

    public static ControlAnswer Refused(string error, string text) => new(false, text, Error: error);
}
