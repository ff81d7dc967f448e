using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Support;

namespace Gateway.Tests.Dialogs;

/// <summary>
/// Runs every <c>Dialogs/Scripts/*.smtp</c> against a real node on loopback, over a raw socket,
/// so that dialogs no well-behaved client would produce (smuggling, pipelining, overlong lines) are tested.
/// </summary>
public sealed class DialogTests(DefaultNodeFixture fixture) : IClassFixture<DefaultNodeFixture>
{
    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Dialogs", "Scripts");

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.smtp").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Dialog(string file)
    {
        var script = DialogScript.Load(Path.Combine(Directory, file));
        if (script.Switches.Count == 0)
        {
            await RunAsync(script, await fixture.NodeAsync());
            return;
        }

        await using var node = await TestNode.StartAsync([.. script.Switches]);
        await RunAsync(script, node);
    }

    private static async Task RunAsync(DialogScript script, TestNode node)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(node.Smtp);
        var server = new LineReader(client.GetStream());
        string? pushedBack = null;
        foreach (var step in script.Steps)
        {
            var where = $"{script.Name}.smtp:{step.Line}";
            switch (step)
            {
                case DialogStep.Send send:
                    await client.GetStream().WriteAsync(send.Bytes);
                    break;
                case DialogStep.Expect expect:
                    string? line;
                    try
                    {
                        line = pushedBack ?? await server.ReadLineAsync();
                    }
                    catch (TimeoutException e)
                    {
                        Assert.Fail($"{where}: expected '{expect.Pattern}': {e.Message}");
                        throw;
                    }

                    pushedBack = null;
                    Assert.True(line is not null, $"{where}: expected '{expect.Pattern}', the server closed the connection");
                    Assert.True(expect.Match.IsMatch(line), $"{where}: expected '{expect.Pattern}', got '{line}'");
                    if (expect.Continuation)
                    {
                        // Swallow the rest of this reply's continuation lines; keep its last line for the next step.
                        while ((line = await server.ReadLineAsync()) is not null && expect.Match.IsMatch(line))
                        {
                        }

                        pushedBack = line;
                    }

                    break;
                case DialogStep.Closed:
                    Assert.True(pushedBack is null, $"{where}: expected the connection closed, got '{pushedBack}'");
                    var extra = await server.ReadLineAsync();
                    Assert.True(extra is null, $"{where}: expected the connection closed, got '{extra}'");
                    break;
            }
        }

        Assert.True(pushedBack is null, $"{script.Name}.smtp: unexpected server line '{pushedBack}' after the script");
    }

    /// <summary>Reads CRLF-terminated lines; null at end of stream or reset.</summary>
    private sealed class LineReader(NetworkStream stream)
    {
        private readonly byte[] _buffer = new byte[65536];
        private readonly StringBuilder _pending = new();

        public async Task<string?> ReadLineAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                var text = _pending.ToString();
                var end = text.IndexOf("\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    _pending.Remove(0, end + 2);
                    return text[..end];
                }

                int read;
                try
                {
                    read = await stream.ReadAsync(_buffer, timeout.Token);
                }
                catch (IOException)
                {
                    return null;
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"no complete server line within 20 s; pending: '{_pending}'");
                }

                if (read == 0)
                {
                    return null;
                }

                _pending.Append(Encoding.UTF8.GetString(_buffer, 0, read));
            }
        }
    }
}

/// <summary>One node with the default test configuration, shared by the dialogs that need nothing else.</summary>
public sealed class DefaultNodeFixture : IAsyncLifetime
{
    private TestNode? _node;

    internal Task<TestNode> NodeAsync() => Task.FromResult(_node ?? throw new InvalidOperationException("fixture not started"));

    public async Task InitializeAsync() => _node = await TestNode.StartAsync();

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }
}
