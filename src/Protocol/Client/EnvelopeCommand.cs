using Gateway.Protocol.Replies;

namespace Gateway.Protocol.Client;

/// <summary>What to send for a message or a recipient to a next hop: the command line, or why it cannot be sent at all.</summary>
public abstract record EnvelopeCommand
{
    private EnvelopeCommand() { }

    /// <summary>The command line, without CRLF.</summary>
    public sealed record Send(string Line) : EnvelopeCommand;

    /// <summary>A permanent failure decided before asking the next hop: the status and the text for the delivery report.</summary>
    public sealed record Refuse(EnhancedStatus Status, string Text) : EnvelopeCommand;
}
