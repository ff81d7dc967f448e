using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Gateway.Cli;
using Gateway.Load;
using Gateway.Tests.Support;

namespace Gateway.Tests.Load;

/// <summary>
/// <c>gateway load</c> against the real gateway in-process (and against tiny misbehaving servers): the
/// counts it reports must add up, agree with what the gateway delivered, and every way a run can end
/// (count, refusal, unreachable target, hard timeout, Ctrl-C) must end it with a report.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed partial class LoadCommandTests : IAsyncLifetime
{
    private readonly TestPki _pki = new();
    private TestNode _node = null!;

    private string Target => _node.Smtp.ToString();

    public async Task InitializeAsync() => _node = await TestNode.StartAsync(_pki.ServerSwitches());

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task Plain_run_delivers_every_message_and_the_report_adds_up()
    {
        var run = await LoadRun.StartAsync("--target", Target, "-c", "8", "-n", "300", "--to", "plain@localhost");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = run.Report!;
        Assert.Equal("count reached", report.StoppedBy);
        (long attempted, long accepted, long failed, long unfinished) = (report.Attempted, report.Accepted, report.Failed, report.Unfinished);
        Assert.Equal((300, 300, 0, 0), (attempted, accepted, failed, unfinished));
        Assert.Equal(300, report.Sessions);
        Assert.Equal(0, report.SessionsFailed);
        Assert.Empty(report.Errors);

        // One message per session: greeting 220; EHLO, MAIL, RCPT and the final dot 250; DATA 354; QUIT 221.
        Assert.Equal(new Dictionary<string, long> { ["220"] = 300, ["221"] = 300, ["250"] = 1200, ["354"] = 300 }, report.Replies);
        Assert.Equal(300, report.LatencyMs["connect"].Count);
        Assert.Equal(300, report.LatencyMs["transaction"].Count);
        Assert.Equal(300, report.LatencyMs["session"].Count);
        Assert.Equal(0, report.LatencyMs["handshake"].Count);
        AssertOrdered(report.LatencyMs["transaction"]);
        AssertOrdered(report.LatencyMs["session"]);
        Assert.True(report.LatencyMs["session"].P50 >= report.LatencyMs["transaction"].P50, "a session contains its transaction");
        // Both figures are rounded in the report (seconds to 1 ms, the rate to 0.1/s).
        Assert.InRange(report.MessagesPerSecond, report.Accepted / report.MeasuredSeconds * 0.99, report.Accepted / report.MeasuredSeconds * 1.01);

        var delivered = await MaildirReader.WaitForAsync(_node.Maildir, "plain@localhost", 300);
        Assert.Equal(300, delivered.Length);
        Assert.Equal(300, delivered.Select(m => MessageId().Match(m).Value).Distinct().Count());

        // The printed table carries the same figures.
        Assert.Contains("300 attempted = 300 accepted + 0 failed + 0 unfinished", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"transaction\s+300\s", run.Output);
    }

    [Fact]
    public async Task STARTTLS_with_a_client_certificate_is_verified_both_ways_and_counted()
    {
        var run = await LoadRun.StartAsync(
            "--target", Target, "-c", "4", "-n", "60", "--to", "tls@localhost", "--starttls",
            "--cert", _pki.CertFile("client"), "--key", _pki.KeyFile("client"), "--cafile", _pki.CaFile);

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = run.Report!;
        Assert.Equal(60, report.Accepted);
        Assert.Equal(60, report.Handshakes);
        Assert.Equal(0, report.HandshakesFailed);
        Assert.Equal(60, report.LatencyMs["handshake"].Count);
        AssertOrdered(report.LatencyMs["handshake"]);

        // The greeting and STARTTLS get 220; EHLO twice, MAIL, RCPT and the dot 250.
        Assert.Equal(new Dictionary<string, long> { ["220"] = 120, ["221"] = 60, ["250"] = 300, ["354"] = 60 }, report.Replies);

        // Our side judged the server's certificate against --cafile, the gateway judged ours against its CACertFile.
        Assert.Equal(new Dictionary<string, long> { ["OK"] = 60 }, report.TlsVerify);
        Assert.Equal(60, Assert.Single(report.TlsSuites, s => s.Key.StartsWith("TLSv1.3 ", StringComparison.Ordinal)).Value);
        var delivered = await MaildirReader.WaitForAsync(_node.Maildir, "tls@localhost", 60);
        Assert.All(delivered, m => Assert.Contains("verify=OK", m, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_CA_file_the_servers_certificate_is_counted_as_unverified()
    {
        var run = await LoadRun.StartAsync("--target", Target, "-c", "2", "-n", "10", "--starttls");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(new Dictionary<string, long> { ["FAIL"] = 10 }, run.Report!.TlsVerify);
        Assert.Contains("verify FAIL 10", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_messages_per_connection_share_the_session()
    {
        var run = await LoadRun.StartAsync("--target", Target, "-c", "4", "-n", "100", "--per-connection", "5", "--to", "batch@localhost");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = run.Report!;
        Assert.Equal(100, report.Accepted);

        // Each client opens sessions of five; the last session of a client may be cut short by the count.
        Assert.InRange(report.Sessions, 20, 24);
        Assert.Equal(report.Sessions, report.Replies["221"]);
        Assert.Equal(report.Sessions + (3 * 100), report.Replies["250"]);
        Assert.Equal(100, report.Replies["354"]);
        Assert.Equal(100, (await MaildirReader.WaitForAsync(_node.Maildir, "batch@localhost", 100)).Length);
    }

    [Fact]
    public async Task Refused_recipients_are_failures_counted_by_reply_code_and_kind()
    {
        var run = await LoadRun.StartAsync("--target", Target, "-c", "3", "-n", "30", "--to", "someone@elsewhere.example");

        Assert.Equal(LoadCommand.ExitFailures, run.ExitCode);
        var report = run.Report!;
        Assert.Equal((30L, 0L, 30L), (report.Attempted, report.Accepted, report.Failed));
        Assert.Equal(30, report.Replies["550"]);
        var error = Assert.Single(report.Errors);
        Assert.Equal("RCPT refused: 550", error.Key);
        Assert.Equal(30, error.Value.Count);
        Assert.Contains("5.7.1", error.Value.First, StringComparison.Ordinal);
        Assert.False(report.Replies.ContainsKey("354"), "no DATA after a refused RCPT");
        Assert.Equal(30, report.Replies["221"]);
    }

    [Fact]
    public async Task A_closed_port_gives_connect_errors_for_every_message()
    {
        var run = await LoadRun.StartAsync("--target", $"127.0.0.1:{ClosedPort()}", "-c", "2", "-n", "6");

        Assert.Equal(LoadCommand.ExitFailures, run.ExitCode);
        var report = run.Report!;
        Assert.Equal((6L, 0L, 6L, 0L), (report.Attempted, report.Accepted, report.Failed, report.Unfinished));
        var error = Assert.Single(report.Errors);
        Assert.Equal(("connect failed", 6L), (error.Key, error.Value.Count));
        Assert.Empty(report.Replies);
    }

    [Fact]
    public async Task Source_addresses_make_one_machine_look_like_several_clients()
    {
        var run = await LoadRun.StartAsync(
            "--target", Target, "-c", "4", "-n", "40", "--to", "sources@localhost", "--source-addresses", "127.0.0.2-127.0.0.5");

        Assert.True(run.ExitCode == 0, run.ToString());
        var delivered = await MaildirReader.WaitForAsync(_node.Maildir, "sources@localhost", 40);
        var clients = delivered.Select(m => ReceivedFrom().Match(m).Groups["address"].Value).Distinct().Order();
        Assert.Equal(["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"], clients);
    }

    [Fact]
    public async Task Warm_up_messages_are_sent_but_not_counted()
    {
        var run = await LoadRun.StartAsync("--target", Target, "-c", "2", "-n", "20", "--warmup", "0.3", "--to", "warm@localhost");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = run.Report!;
        Assert.Equal((20L, 20L), (report.Attempted, report.Accepted));
        Assert.Equal(20, report.LatencyMs["transaction"].Count);
        var delivered = await MaildirReader.WaitForAsync(_node.Maildir, "warm@localhost", (int)(20 + report.WarmupMessages));
        Assert.Equal(20 + report.WarmupMessages, delivered.Length);
    }

    [Fact]
    public async Task A_rate_spaces_the_messages_out()
    {
        var run = await LoadRun.StartAsync("--target", Target, "-c", "4", "-n", "50", "--rate", "200", "--to", "rate@localhost");

        Assert.True(run.ExitCode == 0, run.ToString());

        // Message k is not given out before k/200 s: 50 messages cannot take less than 49/200 s.
        Assert.True(run.Report!.MeasuredSeconds >= 0.245, run.ToString());
    }

    [Fact]
    public async Task A_silent_server_is_cut_off_by_the_hard_timeout_with_a_partial_report()
    {
        using var silent = new SilentServer();

        var run = await LoadRun.StartAsync("--target", silent.Target, "-c", "2", "-n", "5", "--timeout", "1", "--reply-timeout", "60");

        Assert.Equal(LoadCommand.ExitTimeout, run.ExitCode);
        var report = run.Report!;
        Assert.Equal("timeout", report.StoppedBy);
        Assert.Equal((2L, 0L, 0L, 2L), (report.Attempted, report.Accepted, report.Failed, report.Unfinished));
    }

    [Fact]
    public async Task A_reply_timeout_is_an_error_of_its_own_kind()
    {
        using var silent = new SilentServer();

        var run = await LoadRun.StartAsync("--target", silent.Target, "-c", "1", "-n", "2", "--reply-timeout", "0.2");

        Assert.Equal(LoadCommand.ExitFailures, run.ExitCode);
        var error = Assert.Single(run.Report!.Errors);
        Assert.Equal(("timeout", 2L), (error.Key, error.Value.Count));
        Assert.Contains("greeting", error.Value.First, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_run_and_still_reports()
    {
        using var silent = new SilentServer();
        using var interrupt = new CancellationTokenSource();
        _ = silent.Accepted.ContinueWith(_ => interrupt.Cancel(), TaskScheduler.Default);

        var run = await LoadRun.StartAsync(interrupt.Token, "--target", silent.Target, "-c", "1", "-n", "3");

        Assert.Equal(LoadCommand.ExitInterrupted, run.ExitCode);
        Assert.Equal("interrupted", run.Report!.StoppedBy);
        Assert.Equal(1, run.Report.Attempted);
        Assert.Contains("stopped     interrupted", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hold_opens_a_session_per_client_holds_them_all_at_once_then_quits()
    {
        var run = await LoadRun.StartAsync("--target", Target, "-c", "12", "--hold", "--starttls", "--duration", "0.2");

        Assert.True(run.ExitCode == 0, run.ToString());
        var report = run.Report!;
        Assert.Equal("duration reached", report.StoppedBy);
        Assert.Equal(new HoldSummary(12, 0, report.Hold!.AllOpenSeconds), report.Hold);
        Assert.NotNull(report.Hold.AllOpenSeconds);
        Assert.Equal((12, 0, 12, 0), (report.Sessions, report.SessionsFailed, report.Handshakes, report.HandshakesFailed));
        Assert.Equal((0, 0, 0), (report.Attempted, report.Accepted, report.Failed));
        Assert.Equal(12, report.Replies["221"]);
        Assert.False(report.Replies.ContainsKey("354"));
        Assert.Contains("holding 12 sessions (0 failed to open)", run.Output, StringComparison.Ordinal);
        Assert.Contains("held        12 sessions open at once", run.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.Exists(_node.Maildir) ? Directory.GetFiles(_node.Maildir, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task Ctrl_C_ends_a_hold_with_every_session_quitting()
    {
        // As bench/idle.sh uses it: wait for the "holding" line, measure, then interrupt.
        using var interrupt = new CancellationTokenSource();
        using var output = new LineWatcher("holding ", interrupt.Cancel);
        using var error = new StringWriter();

        var code = await GatewayCommandLine.InvokeAsync(["load", "--target", Target, "-c", "5", "--hold"], new CommandLineConsole(output, error, null, () => interrupt.Token));

        Assert.True(code == LoadCommand.ExitInterrupted, $"exit {code}\n{output}\n{error}");
        Assert.Contains("holding 5 sessions (0 failed to open)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("stopped     interrupted", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("sessions    5 (0 with an error)", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("221: 5", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cert", "Usage")]
    [InlineData("--rate", "Usage")]
    public async Task Bad_command_lines_exit_64_naming_the_switch(string flag, string _)
    {
        var run = await LoadRun.StartAsync("--target", Target, flag, "x");

        Assert.Equal(64, run.ExitCode);
        Assert.Contains(flag, run.Error, StringComparison.Ordinal);
        Assert.Null(run.Report);
    }

    [Fact]
    public async Task An_unsafe_key_file_exits_78_naming_the_file()
    {
        var key = _pki.KeyFile("client");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        try
        {
            var run = await LoadRun.StartAsync("--target", Target, "--starttls", "--cert", _pki.CertFile("client"), "--key", key);

            Assert.Equal(78, run.ExitCode);
            Assert.Contains(key, run.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void AssertOrdered(LatencySummary l)
    {
        Assert.True(l.P50 <= l.P90 && l.P90 <= l.P99 && l.P99 <= l.P999 && l.P999 <= l.Max, $"{l}");
        Assert.True(l.P50 > 0, $"{l}");
    }

    /// <summary>A port nothing listens on: bound once, then released.</summary>
    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [GeneratedRegex(@"Message-ID: <load\.[^>]+>")]
    private static partial Regex MessageId();

    [GeneratedRegex(@"Received: from \S+ \(\[(?<address>[0-9.]+)\]\)")]
    private static partial Regex ReceivedFrom();

    /// <summary>Accepts connections and never says a word: the greeting never comes.</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _accepted = [];
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SilentServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public string Target => _listener.LocalEndpoint.ToString()!;

        public Task Accepted => _first.Task;

        public void Dispose()
        {
            _listener.Stop();
            lock (_accepted)
            {
                _accepted.ForEach(s => s.Dispose());
            }
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptSocketAsync();
                    lock (_accepted)
                    {
                        _accepted.Add(socket);
                    }

                    _first.TrySetResult();
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }
    }

    /// <summary>A writer that calls <paramref name="onLine"/> once, when a written line starts with <paramref name="prefix"/>.</summary>
    private sealed class LineWatcher(string prefix, Action onLine) : StringWriter
    {
        private Action? _onLine = onLine;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith(prefix, StringComparison.Ordinal) == true)
            {
                Interlocked.Exchange(ref _onLine, null)?.Invoke();
            }
        }
    }
}
