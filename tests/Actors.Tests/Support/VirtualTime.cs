using Akka.Actor;
using Akka.TestKit;

namespace Gateway.Actors.Tests.Support;

/// <summary>
/// Virtual time for the connection's timers: the actor system runs on Akka's <see cref="TestScheduler"/>
/// (<see cref="Hocon"/>), and <see cref="Clock"/> reads the same virtual now, so one <see cref="Advance"/> fires the
/// timers due and ages the open policy question alike. A timeout test then states minutes and takes no real time;
/// nothing fires unless the test moves the clock.
/// </summary>
public sealed class VirtualTime(ActorSystem system)
{
    /// <summary>TestKitConfig's settings with the test scheduler.</summary>
    public const string Hocon = TestKitConfig.Hocon + "\nakka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"";

    private readonly TestScheduler _scheduler = (TestScheduler)system.Scheduler;

    private readonly SchedulerClock _clock = new((TestScheduler)system.Scheduler);

    /// <summary>The wall clock (<see cref="TimeProvider.GetUtcNow"/>) and the monotonic one (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public TimeProvider Clock => _clock;

    /// <summary>Moves virtual time on; the timers due by then send their messages before this returns.</summary>
    public void Advance(TimeSpan by) => _scheduler.Advance(by);

    /// <summary>Steps the wall clock alone (an operator's date command, NTP stepping): no timer fires, no monotonic time passes.</summary>
    public void StepWallClock(TimeSpan by) => _clock.Step += by;

    private sealed class SchedulerClock(TestScheduler scheduler) : TimeProvider
    {
        public TimeSpan Step { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => scheduler.Now + Step;

        public override long GetTimestamp() => scheduler.Now.UtcTicks;
    }
}
