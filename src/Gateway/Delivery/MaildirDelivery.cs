using System.Collections.Concurrent;
using System.Text;
using Gateway.Actors.Delivery;
using Gateway.Actors.Queue;
using Gateway.Protocol.Mail;

namespace Gateway.Delivery;

/// <summary>
/// Local delivery: one Maildir per recipient, <c>&lt;root&gt;/&lt;recipient&gt;/{tmp,new,cur}</c>. Each copy
/// is written to tmp, fsynced, renamed into new, and the directory synced (the Maildir protocol
/// made durable). File names are derived from the queue id and the recipient's position, so a
/// repeated attempt recognises a copy it already made, in new or already moved to cur.
/// The file holds Return-Path and Delivered-To (RFC 5321 §4.4) and then the message as received,
/// with its CRLF line ends. The blocking file work runs on <paramref name="workers"/>, never on the
/// thread pool.
/// </summary>
internal sealed class MaildirDelivery(string root, string hostname, string defaultDomain, FileWorkers workers) : IMailDelivery
{
    private readonly ConcurrentDictionary<string, bool> _prepared = new();
    private readonly CoalescingDirectorySync _directories = new();

    public Task DeliverAsync(SpooledMessage message, IReadOnlyList<int> recipients, bool mayBeRepeat) =>
        workers.RunAsync(() => Deliver(message, recipients, mayBeRepeat));

    private void Deliver(SpooledMessage message, IReadOnlyList<int> recipients, bool mayBeRepeat)
    {
        var envelope = message.Envelope;
        foreach (var i in recipients)
        {
            var recipient = envelope.Recipients[i].Address;
            var mailbox = Path.Combine(root, MailboxDirectory.Name(recipient, defaultDomain));
            var name = $"{envelope.Id}.R{i}.{hostname}";
            Prepare(mailbox);
            if (mayBeRepeat && AlreadyDelivered(mailbox, name))
            {
                continue;
            }

            WriteCopy(mailbox, name, Preamble(envelope, recipient), message.Content.Span);
        }
    }

    private static byte[] Preamble(Envelope envelope, Mailbox recipient) => Encoding.UTF8.GetBytes(
        $"Return-Path: <{envelope.ReversePath?.ToString() ?? ""}>\r\nDelivered-To: {recipient}\r\n");

    private void WriteCopy(string mailbox, string name, byte[] preamble, ReadOnlySpan<byte> content)
    {
        var tmp = Path.Combine(mailbox, "tmp", name);
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 0))
        {
            stream.Write(preamble);
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(tmp, Path.Combine(mailbox, "new", name), overwrite: true);
        _directories.Sync(Path.Combine(mailbox, "new"));
    }

    private static bool AlreadyDelivered(string mailbox, string name) =>
        File.Exists(Path.Combine(mailbox, "new", name))
        || Directory.EnumerateFiles(Path.Combine(mailbox, "cur"), name + ":*").Any()
        || File.Exists(Path.Combine(mailbox, "cur", name));

    private void Prepare(string mailbox)
    {
        if (_prepared.ContainsKey(mailbox))
        {
            return;
        }

        foreach (var sub in new[] { "tmp", "new", "cur" })
        {
            Directory.CreateDirectory(Path.Combine(mailbox, sub));
        }

        _prepared[mailbox] = true;
    }
}
