using Gateway.Protocol.Queue;
using Gateway.Protocol.Routing;

namespace Gateway.Actors.Queue;

/// <summary>What the queue manager needs besides its spool and next hops.</summary>
/// <param name="Hostname">Our name, as the reporting MTA of delivery reports (Smtp:Hostname).</param>
/// <param name="Concurrency">Delivery:Concurrency: messages in an attempt at once (each may go to several destinations).</param>
/// <param name="Routes">Where each recipient domain goes (Delivery:Routes, Delivery:SmartHost, local domains).</param>
public sealed record QueueSettings(string Hostname, int Concurrency, RouteTable Routes, RetrySchedule Schedule)
{
    /// <summary>How soon a spool that could not be listed at start is listed again.</summary>
    public TimeSpan ListRetry { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock of queue times (arrival, next attempt, lifetime); timers run on the actor system's scheduler.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
