using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gateway.Protocol.Client;
using Gateway.Protocol.Tls;

namespace Gateway.Cli;

/// <summary>
/// One probe session, step by step as a person would type it (swaks style): greeting, EHLO, optionally
/// STARTTLS and EHLO again over TLS (R25), QUIT; then the session's facts as sendmail macros (SPEC R40),
/// with <c>{verify}</c> in the client role (R41: NONE, OK, FAIL, NO, TEMP, PROTOCOL, SOFTWARE, FAILURE).
/// Server lines are printed "&lt;- ", client lines "-&gt; ", remarks "=== ".
/// Not here: the command line and the files (ProbeCommand, ClientTlsFiles), the socket (ProbeConnection).
/// </summary>
internal sealed class ProbeDialog(ProbePlan plan, TlsClientOptions tls, TextWriter output)
{
    private TlsFacts _facts = TlsFacts.None with { Verify = TlsClientVerifyValues.None };
    private string _serverAddress = "0";

    public async Task RunAsync()
    {
        Info($"Trying {plan.Host} port {plan.Port}...");
        var connection = await ProbeConnection.ConnectAsync(plan.BareHost, plan.Port, plan.Timeout).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            _serverAddress = MacroAddress(connection.RemoteAddress);
            Info($"Connected to {connection.RemoteAddress}.");
            if (plan.TlsOnConnect)
            {
                // SPEC R18 / RFC 8314 §3.3: on an implicit-TLS port the handshake comes before the greeting.
                await HandshakeAsync(connection).ConfigureAwait(false);
            }

            await ExpectPositiveAsync(connection, command: null, "the greeting").ConfigureAwait(false);
            var ehlo = await ExpectPositiveAsync(connection, $"EHLO {plan.Helo}", "the reply to EHLO").ConfigureAwait(false);
            if (plan.StartTls)
            {
                await StartTlsAsync(connection, ehlo).ConfigureAwait(false);
            }
            else if (!plan.TlsOnConnect && ehlo.Advertises("STARTTLS"))
            {
                Info("STARTTLS is offered; add --starttls to try it");
            }

            await QuitAsync(connection).ConfigureAwait(false);
        }

        Info("Connection closed.");
        PrintFacts();
    }

    private async Task StartTlsAsync(ProbeConnection connection, ServerReply ehlo)
    {
        if (!ehlo.Advertises("STARTTLS"))
        {
            Info("STARTTLS was not offered by the server, so it was not tried ({verify}=NONE, SPEC R20)");
            return;
        }

        // R83: STARTTLS goes alone, never pipelined with what follows it.
        await SendAsync(connection, "STARTTLS").ConfigureAwait(false);
        ServerReply reply;
        try
        {
            reply = await connection.ReadReplyAsync("the reply to STARTTLS", Server).ConfigureAwait(false);
        }
        catch (ProbeFailure)
        {
            Fail(TlsFacts.None with { Verify = TlsClientVerifyValues.Failure });
            throw;
        }

        switch (reply.Code)
        {
            case 220:
                if (connection.DiscardPending() is var discarded and > 0)
                {
                    Info($"discarded {discarded} byte(s) of clear text received after the 220 (SPEC R83, response injection)");
                }

                await HandshakeAsync(connection).ConfigureAwait(false);

                // R25: the clear-text EHLO reply is forgotten; ask again over TLS.
                await ExpectPositiveAsync(connection, $"EHLO {plan.Helo}", "the reply to EHLO over TLS").ConfigureAwait(false);
                break;
            case >= 400 and < 500:
                Refused(TlsClientVerifyValues.Temp, "temporarily refused");
                break;
            case >= 500 and < 600:
                Refused(TlsClientVerifyValues.None, "refused");
                break;
            default:
                Refused(TlsClientVerifyValues.Protocol, "answered with an unexpected reply");
                break;
        }
    }

    private void Refused(string verify, string what)
    {
        _facts = TlsFacts.None with { Verify = verify };
        Info($"STARTTLS {what}; the session stays in clear text ({{verify}}={verify}, SPEC R22)");
    }

    private async Task HandshakeAsync(ProbeConnection connection)
    {
        TlsClientEngine engine;
        try
        {
            engine = await connection.StartTlsAsync(tls).ConfigureAwait(false);
        }
        catch (ProbeFailure)
        {
            Fail(TlsFacts.None with { Verify = TlsClientVerifyValues.Software });
            throw;
        }

        if (engine.Failed)
        {
            // R24: a failed handshake leaves the connection unusable; no QUIT.
            Fail(engine.Facts);
            var hint = connection.AnsweredInClearText && plan.TlsOnConnect
                ? "; the server answered in clear-text SMTP, so this is no implicit-TLS port (try --starttls)"
                : "";
            throw new ProbeFailure($"TLS handshake failed: {engine.FailureReason}{hint}");
        }

        _facts = engine.Facts;
        Describe(engine);
        if (engine.Closed)
        {
            Fail(engine.Facts);
            throw new ProbeFailure("the server closed the TLS session right after the handshake");
        }
    }

    private void Describe(TlsClientEngine engine)
    {
        Info(string.Create(
            CultureInfo.InvariantCulture,
            $"TLS started: {_facts.Version}, cipher {_facts.Cipher}, {_facts.CipherBits}/{_facts.AlgBits} bits, SNI {engine.ServerNameSent ?? "not sent (address literal)"}"));
        if (engine.PeerChain.Count == 0)
        {
            Info("the server sent no certificate");
        }

        for (var i = 0; i < engine.PeerChain.Count; i++)
        {
            var certificate = engine.PeerChain[i];
            Info(string.Create(
                CultureInfo.InvariantCulture,
                $"server certificate {i}: subject {Dn(certificate.SubjectDN)}, issuer {Dn(certificate.IssuerDN)}, valid until {certificate.NotAfter:u}"));
        }

        var reason = plan.CaFile is null && _facts.Verify == TlsClientVerifyValues.Fail
            ? "no --cafile given, so there is no CA to verify against"
            : engine.VerifyReason;
        Info($"verify {_facts.Verify}: {reason}");
        Info((engine.ClientCertificateRequested, engine.ClientCertificateSent) switch
        {
            (false, _) => "the server did not ask for a client certificate",
            (true, true) => "the server asked for a client certificate; ours was sent",
            (true, false) => $"the server asked for a client certificate; none was sent ({engine.ClientCertificateNote ?? "no --cert given"})",
        });
    }

    /// <summary>Sends <paramref name="command"/> (none for the greeting) and insists on a 2xx reply.</summary>
    private async Task<ServerReply> ExpectPositiveAsync(ProbeConnection connection, string? command, string waitingFor)
    {
        if (command is not null)
        {
            await SendAsync(connection, command).ConfigureAwait(false);
        }

        var reply = await connection.ReadReplyAsync(waitingFor, Server).ConfigureAwait(false);
        // RFC 5321 §4.2.1: 2yz is a positive completion.
        if (reply.Class == 2)
        {
            return reply;
        }

        await QuitAsync(connection).ConfigureAwait(false);
        PrintFacts();
        throw new ProbeFailure(string.Create(CultureInfo.InvariantCulture, $"the server answered {reply.Code} to {command ?? "the connection"}"));
    }

    private async Task QuitAsync(ProbeConnection connection)
    {
        try
        {
            await SendAsync(connection, "QUIT").ConfigureAwait(false);
            await connection.ReadReplyAsync("the reply to QUIT", Server).ConfigureAwait(false);
        }
        catch (ProbeFailure e)
        {
            // The session's facts are known by now; a server that hangs up without 221 does not change them.
            Info($"no reply to QUIT: {e.Message}");
        }
    }

    private async Task SendAsync(ProbeConnection connection, string line)
    {
        output.WriteLine($"-> {line}");
        await connection.SendLineAsync(line).ConfigureAwait(false);
    }

    private void Server(string line) => output.WriteLine($"<- {line}");

    private void Info(string text) => output.WriteLine($"=== {text}");

    private void Fail(TlsFacts facts)
    {
        _facts = facts;
        PrintFacts();
    }

    private void PrintFacts()
    {
        foreach (var (name, value) in _facts.Macros())
        {
            output.WriteLine($"{name}={value}");
        }

        // R40: the host connected to without a trailing dot, and its address (IPv6 with the "IPv6:" tag).
        output.WriteLine($"{{server_name}}={plan.Host.TrimEnd('.')}");
        output.WriteLine($"{{server_addr}}={_serverAddress}");
    }

    private static string Dn(Org.BouncyCastle.Asn1.X509.X509Name name) => DnRenderer.OneLine(name, DnFormat.OpenSsl3);

    private static string MacroAddress(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"IPv6:{address}" : address.ToString();
}
