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
        await using var server = await SmtpStream.ConnectAsync(node.Smtp);
        string? pushedBack = null;
        foreach (var step in script.Steps)
        {
            var where = $"{script.Name}.smtp:{step.Line}";
            switch (step)
            {
                case DialogStep.Send send:
                    await server.SendAsync(send.Bytes);
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
