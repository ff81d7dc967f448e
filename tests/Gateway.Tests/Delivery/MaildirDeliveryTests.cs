using System.Text;
using Gateway.Actors.Queue;
using Gateway.Delivery;
using Gateway.Protocol.Mail;

namespace Gateway.Tests.Delivery;

/// <summary>Maildir delivery on real files: one copy per recipient, never a second one on a repeat.</summary>
public sealed class MaildirDeliveryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gateway-maildir-").FullName;
    private readonly FileWorkers _workers = new(2, "test-delivery");

    [Fact]
    public async Task Each_recipient_gets_one_copy_in_new_with_Return_Path_and_Delivered_To()
    {
        var delivery = new MaildirDelivery(_root, "mx.test.example", "localhost", _workers);

        await delivery.DeliverAsync(Message("0123456789ABCDEF0123", "bob", "carol"), [0, 1], mayBeRepeat: false);

        var bob = Assert.Single(Directory.GetFiles(Path.Combine(_root, "bob@localhost", "new")));
        var carol = Assert.Single(Directory.GetFiles(Path.Combine(_root, "carol@localhost", "new")));
        Assert.Equal("0123456789ABCDEF0123.R0.mx.test.example", Path.GetFileName(bob));
        Assert.Equal("0123456789ABCDEF0123.R1.mx.test.example", Path.GetFileName(carol));
        Assert.Equal("Return-Path: <alice@client.example>\r\nDelivered-To: bob@localhost\r\nSubject: hi\r\n\r\nbody\r\n", File.ReadAllText(bob));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "bob@localhost", "tmp")));
    }

    [Fact]
    public async Task A_repeat_after_a_crash_does_not_make_a_second_copy_even_if_the_reader_moved_it_to_cur()
    {
        var delivery = new MaildirDelivery(_root, "mx.test.example", "localhost", _workers);
        var message = Message("0123456789ABCDEF0123", "bob", "carol");
        await delivery.DeliverAsync(message, [0, 1], mayBeRepeat: false);
        // A mail reader has seen bob's copy: new/NAME became cur/NAME:2,S (the Maildir convention).
        var seen = Assert.Single(Directory.GetFiles(Path.Combine(_root, "bob@localhost", "new")));
        File.Move(seen, Path.Combine(_root, "bob@localhost", "cur", Path.GetFileName(seen) + ":2,S"));

        await new MaildirDelivery(_root, "mx.test.example", "localhost", _workers).DeliverAsync(message, [0, 1], mayBeRepeat: true);

        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "bob@localhost", "new")));
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "bob@localhost", "cur")));
        Assert.Single(Directory.GetFiles(Path.Combine(_root, "carol@localhost", "new")));
    }

    [Fact]
    public async Task A_recipient_cannot_escape_the_Maildir_root_with_dots_or_slashes()
    {
        var delivery = new MaildirDelivery(_root, "mx.test.example", "localhost", _workers);

        await delivery.DeliverAsync(Message("0123456789ABCDEF0124", "../../etc/passwd", "..", "a/b"), [0, 1, 2], mayBeRepeat: false);

        var created = Directory.GetDirectories(_root).Select(Path.GetFileName).ToList();
        Assert.Equal(3, created.Count);
        Assert.All(created, d => Assert.DoesNotContain('/', d!));
        Assert.All(created, d => Assert.False(d is "." or "..", d));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(_root)!, "passwd*"));
    }

    private static SpooledMessage Message(string id, params string[] localParts) => new(
        new Envelope(
            id,
            new Mailbox("alice", "client.example"),
            MailParameters.None,
            [.. localParts.Select(l => new Recipient(new Mailbox(l, "localhost"), RcptParameters.None))],
            "client.example",
            "127.0.0.1",
            "ESMTP",
            DateTimeOffset.UnixEpoch),
        Encoding.ASCII.GetBytes("Subject: hi\r\n\r\nbody\r\n"));

    public void Dispose()
    {
        _workers.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
