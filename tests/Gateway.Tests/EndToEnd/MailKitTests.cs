using System.Net;
using Gateway.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Gateway.Tests.EndToEnd;

/// <summary>A real client (MailKit) against the real host on loopback.</summary>
public sealed class MailKitTests : IAsyncLifetime
{
    private TestNode _node = null!;

    public async Task InitializeAsync() => _node = await TestNode.StartAsync("--Smtp:LocalDomains:0=example.test");

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_message_lands_in_the_recipients_Maildir_with_a_Received_header()
    {
        var message = Message("alice@example.org", "bob@example.test", "Hello", "Hi Bob.\r\n");

        await SendAsync(message);

        var delivered = Assert.Single(await MaildirReader.WaitForAsync(_node.Maildir, "bob@example.test", 1));
        Assert.StartsWith("Return-Path: <alice@example.org>\r\nDelivered-To: bob@example.test\r\nReceived: from ", delivered);
        Assert.Matches(@"Received: from \S+ \(\[127\.0\.0\.1\]\)\r\n\tby mx\.test\.example \(Gateway [^)]+\) with ESMTP id [0-9A-F]{20}\r\n\tfor <bob@example\.test>; \w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\r\n", delivered);
        Assert.Contains($"Message-Id: <{message.MessageId}>", delivered, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("Hi Bob.\r\n", delivered);
    }

    [Fact]
    public async Task Each_recipient_gets_its_own_copy_and_the_Received_header_names_none()
    {
        var message = Message("alice@example.org", "bob@example.test", "Two", "Both.\r\n");
        message.To.Add(MailboxAddress.Parse("carol@EXAMPLE.test"));

        await SendAsync(message);

        var bob = Assert.Single(await MaildirReader.WaitForAsync(_node.Maildir, "bob@example.test", 1));
        var carol = Assert.Single(await MaildirReader.WaitForAsync(_node.Maildir, "carol@example.test", 1));
        Assert.DoesNotContain("\tfor <", bob);
        Assert.Contains("Delivered-To: carol@EXAMPLE.test", carol);
    }

    [Fact]
    public async Task A_five_megabyte_message_arrives_intact()
    {
        var body = string.Concat(Enumerable.Range(0, 70_000).Select(i => $"line {i:D6} {new string('x', 60)}\r\n"));
        var message = Message("alice@example.org", "big@example.test", "Large", body);

        await SendAsync(message);

        var delivered = Assert.Single(await MaildirReader.WaitForAsync(_node.Maildir, "big@example.test", 1));
        Assert.Contains(body, delivered);
    }

    [Fact]
    public async Task A_hundred_concurrent_clients_each_deliver_their_message_once()
    {
        var messages = Enumerable.Range(0, 100)
            .Select(i => Message($"sender{i}@example.org", "many@example.test", $"Message {i}", $"Body {i}\r\n"))
            .ToArray();

        // Each client from its own loopback address, as 100 different hosts would be, so the
        // per-client connection cap (50) does not apply.
        await Task.WhenAll(messages.Select((m, i) => SendAsync(m, IPAddress.Parse($"127.0.0.{i + 2}"))));

        var delivered = await MaildirReader.WaitForAsync(_node.Maildir, "many@example.test", 100);
        Assert.Equal(100, delivered.Length);
        Assert.Equal(
            messages.Select(m => m.MessageId).Order(),
            delivered.Select(d => System.Text.RegularExpressions.Regex.Match(d, @"Message-Id: <([^>]+)>", System.Text.RegularExpressions.RegexOptions.IgnoreCase).Groups[1].Value).Order());
    }

    [Fact]
    public async Task A_recipient_outside_the_local_domains_is_refused_as_relaying()
    {
        using var client = new SmtpClient();
        await client.ConnectAsync(_node.Smtp.Address.ToString(), _node.Smtp.Port, SecureSocketOptions.None);

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(Message("alice@example.org", "eve@elsewhere.example", "Relay", "No.\r\n")));

        Assert.Equal(SmtpStatusCode.MailboxUnavailable, error.StatusCode);
        Assert.Contains("Relaying denied", error.Message);
    }

    private async Task SendAsync(MimeMessage message) => await SendAsync(message, null);

    private async Task SendAsync(MimeMessage message, IPAddress? source)
    {
        using var client = new SmtpClient();
        if (source is not null)
        {
            client.LocalEndPoint = new IPEndPoint(source, 0);
        }

        await client.ConnectAsync(_node.Smtp.Address.ToString(), _node.Smtp.Port, SecureSocketOptions.None);
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);
    }

    private static MimeMessage Message(string from, string to, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("test.example");
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }
}
