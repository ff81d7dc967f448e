using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Akka.Configuration;
using Gateway.Actors.Policy;
using Gateway.Bench;
using Gateway.Protocol.Access;

// policy-bench [--entries 100000] [--seconds 5] [--requesters 4] [--window 64]
// Verdicts per second through one PolicyActor (issue 5): hot = 1,000 distinct clients cycled (every
// question after the first round is a cache hit); cold = every client new (every question a miss, the
// LRU evicting all the time). Each simulated session asks Connect, Srv_Features, tls_client, MAIL, RCPT.
var entries = Option("--entries", 100_000);
var seconds = Option("--seconds", 5);
var requesters = Option("--requesters", 4);
var window = Option("--window", 64);

var clock = Stopwatch.StartNew();
var map = BenchMap.Build(entries);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"map: {map.Count} entries parsed in {clock.ElapsedMilliseconds} ms; {Environment.ProcessorCount} cores"));

foreach (var (label, distinct) in new[] { ("hot", 1_000), ("cold", int.MaxValue / 8) })
{
    var rate = await RunAsync(distinct);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label,-5} {rate,12:N0} verdicts/s"));
}

return 0;

async Task<double> RunAsync(int distinct)
{
    var system = ActorSystem.Create("policy-bench", ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.log-dead-letters = off"));
    try
    {
        var policy = system.ActorOf(PolicyActor.Props(map, "bench", AccessPolicySettings.Default), "policy");
        var answered = new long[requesters];
        for (var i = 0; i < requesters; i++)
        {
            var slot = i;
            system.ActorOf(Props.Create(() => new Requester(policy, window, distinct, slot * (distinct == 1_000 ? 0 : 1 << 26), answered, slot)));
        }

        // Warm-up: JIT tiering and, for the hot run, filling the cache.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = Total(answered);
        var timer = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var count = Total(answered) - before;
        return count / timer.Elapsed.TotalSeconds;
    }
    finally
    {
        await system.Terminate();
    }
}

static long Total(long[] counts)
{
    var total = 0L;
    for (var i = 0; i < counts.Length; i++)
    {
        total += Interlocked.Read(ref counts[i]);
    }

    return total;
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
