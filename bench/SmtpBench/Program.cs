using System.Diagnostics;
using System.Globalization;
using System.Net;
using Gateway.Bench;

// smtp-bench HOST:PORT [--clients 50] [--messages 20000] [--size 2048] [--warmup 1000] [--rcpt bob@localhost]
// One message per connection, as a fresh MTA-to-MTA delivery is: connect, greeting, EHLO, MAIL,
// RCPT, DATA, body, final dot, 250, QUIT, 221. Latency is per session, from connect to the 221.
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: smtp-bench HOST:PORT [--clients N] [--messages N] [--size BYTES] [--warmup N] [--rcpt ADDR] [--greeting-only] [--starttls [--bc-client]] [--idle N]");
    return 64;
}

var target = IPEndPoint.Parse(args[0]);
var clients = Option("--clients", 50);
var messages = Option("--messages", 20_000);
var size = Option("--size", 2048);
var warmup = Option("--warmup", 1_000);
var greetingOnly = args.Contains("--greeting-only");
var startTls = args.Contains("--starttls");
var bouncyCastle = args.Contains("--bc-client");
var idle = Option("--idle", 0);
var rcpt = args.SkipWhile(a => a != "--rcpt").Skip(1).FirstOrDefault() ?? "bob@localhost";

var session = SmtpSession.Build(size, rcpt, startTls, bouncyCastle);
if (idle > 0)
{
    return await HoldIdleAsync(idle);
}

Console.WriteLine($"target {target}, {clients} clients, {messages} messages of {size} bytes (+{warmup} warm-up), one per connection");

await Run(warmup, record: false);
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var result = await Run(messages, record: true);
Console.WriteLine(result);
// The load generator shares the machine: say what it cost, so the server's share can be judged.
Console.WriteLine($"client CPU during the measured run: {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds:F0} ms");
return result.Failed == 0 ? 0 : 1;

async Task<BenchResult> Run(int count, bool record)
{
    var latencies = new long[count];
    var next = -1;
    var failed = 0;
    var firstError = (string?)null;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var start = Stopwatch.GetTimestamp();
            var error = await session.SendOneAsync(target, greetingOnly);
            latencies[i] = Stopwatch.GetTimestamp() - start;
            if (error is not null)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, error, null);
            }
        }
    }));
    clock.Stop();
    return record ? BenchResult.From(latencies, clock.Elapsed, failed, firstError) : new BenchResult(0, 0, 0, 0, 0, failed, firstError);
}

// Opens N sessions (after STARTTLS with --starttls), reports, waits for a line on stdin, closes them.
async Task<int> HoldIdleAsync(int count)
{
    var streams = new List<Stream>(count);
    var clock = Stopwatch.StartNew();
    using var gate = new SemaphoreSlim(50);
    var opening = Enumerable.Range(0, count).Select(async _ =>
    {
        await gate.WaitAsync();
        try
        {
            var stream = await session.OpenIdleAsync(target);
            lock (streams)
            {
                streams.Add(stream);
            }
        }
        finally
        {
            gate.Release();
        }
    });
    await Task.WhenAll(opening);
    Console.WriteLine($"idle sessions open: {streams.Count} in {clock.Elapsed.TotalSeconds:F1} s{(startTls ? " (after STARTTLS)" : "")}");
    Console.Out.Flush();
    await Console.In.ReadLineAsync();
    foreach (var stream in streams)
    {
        await stream.DisposeAsync();
    }

    return 0;
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
