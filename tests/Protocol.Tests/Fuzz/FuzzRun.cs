using System.Diagnostics;
using System.Globalization;

namespace Gateway.Protocol.Tests.Fuzz;

/// <summary>
/// Runs one fuzz property over many generated inputs. CI runs a few thousand per target with a fixed seed;
/// bench/fuzz.sh sets the environment for long runs:
/// <c>GATEWAY_FUZZ_RUNS</c> (inputs), <c>GATEWAY_FUZZ_FROM</c> (first input index, for chunked runs),
/// <c>GATEWAY_FUZZ_SEED</c> (base seed) and <c>GATEWAY_FUZZ_REPORT</c> (a file that gets one line per target:
/// name, inputs, milliseconds, failures). Input i is generated from (seed, i) alone, so a failure reported as
/// "input i" is replayed with GATEWAY_FUZZ_SEED=seed GATEWAY_FUZZ_FROM=i GATEWAY_FUZZ_RUNS=1.
/// A watchdog turns a hang into a failure that names its input: when one input runs longer than
/// <c>GATEWAY_FUZZ_HANG_SECONDS</c> (default 60) the report gets a HANG line and the process is ended, since a
/// spinning thread cannot be stopped from outside.
/// </summary>
public static class FuzzRun
{
    public const ulong DefaultSeed = 20261207;

    private const int Shown = 5;

    public static void Check(string target, int ciRuns, Action<FuzzRandom> property)
    {
        var runs = Variable("GATEWAY_FUZZ_RUNS") ?? ciRuns;
        var from = Variable("GATEWAY_FUZZ_FROM") ?? 0;
        var seed = (ulong?)Variable("GATEWAY_FUZZ_SEED") ?? DefaultSeed;
        var failures = 0L;
        var shown = new List<string>();
        var report = Environment.GetEnvironmentVariable("GATEWAY_FUZZ_REPORT");
        var hangAfter = TimeSpan.FromSeconds(Variable("GATEWAY_FUZZ_HANG_SECONDS") ?? 60);
        var current = from;
        var started = Stopwatch.GetTimestamp();
        using var watchdog = new Timer(_ => Watch(target, seed, ref current, ref started, hangAfter, report), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();

        for (var i = from; i < from + runs; i++)
        {
            Volatile.Write(ref current, i);
            Volatile.Write(ref started, Stopwatch.GetTimestamp());
            try
            {
                property(new FuzzRandom(InputSeed(seed, i)));
            }
            catch (Exception e)
            {
                failures++;
                if (shown.Count < Shown)
                {
                    shown.Add($"input {i}: {e.GetType().FullName}: {e.Message}\n{e.StackTrace}");
                }
            }
        }

        watch.Stop();
        if (report is { Length: > 0 })
        {
            File.AppendAllText(report, string.Create(CultureInfo.InvariantCulture,
                $"{target}\t{runs}\t{watch.ElapsedMilliseconds}\t{failures}\t{seed}\t{from}\n"));
        }

        Assert.True(failures == 0,
            $"{target}: {failures} of {runs} inputs failed (seed {seed}, inputs {from}..{from + runs - 1}). "
            + $"Replay one: GATEWAY_FUZZ_SEED={seed} GATEWAY_FUZZ_FROM=<input> GATEWAY_FUZZ_RUNS=1 "
            + $"dotnet test tests/Protocol.Tests --filter FullyQualifiedName~Fuzz.{target}\n\n"
            + string.Join("\n\n", shown));
    }

    private static void Watch(string target, ulong seed, ref long current, ref long started, TimeSpan hangAfter, string? report)
    {
        var input = Volatile.Read(ref current);
        if (Stopwatch.GetElapsedTime(Volatile.Read(ref started)) < hangAfter || input != Volatile.Read(ref current))
        {
            return;
        }

        var line = string.Create(CultureInfo.InvariantCulture, $"HANG\t{target}\tinput {input}\tseed {seed}\tover {hangAfter.TotalSeconds} s\n");
        if (report is { Length: > 0 })
        {
            File.AppendAllText(report, line);
        }

        Environment.FailFast($"fuzz watchdog: {line}");
    }

    /// <summary>SplitMix's finaliser over (seed, index): neighbouring inputs get unrelated generators.</summary>
    private static ulong InputSeed(ulong seed, long index)
    {
        var z = seed ^ ((ulong)index * 0xD1B54A32D192ED03UL);
        z = (z ^ (z >> 33)) * 0xFF51AFD7ED558CCDUL;
        return z ^ (z >> 33);
    }

    private static long? Variable(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } text
            ? long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;
}
