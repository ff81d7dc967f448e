using Gateway.Protocol.Tls;
using Org.BouncyCastle.Security;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway probe HOST:PORT [--starttls | --tls-on-connect] [--cert F --key F] [--cafile F]</c>: STARTTLS
/// debugging by hand. Talks SMTP to HOST, prints the dialog and then the TLS facts in sendmail macro form.
/// Exit codes: 0 when the dialog ran to the end (whatever {verify} says), 69 when the connection or the
/// handshake failed, 64 for a bad command line, 78 for an unusable certificate, key or CA file.
/// </summary>
internal static class ProbeCommand
{
    public const string HelpText = """
        usage: gateway probe HOST[:PORT] [--starttls | --tls-on-connect] [--cert FILE --key FILE] [--cafile FILE]
                             [--helo NAME] [--timeout SECONDS]
          Connects to HOST (a name, an IPv4 address or [IPv6]; PORT 25, or 465 with --tls-on-connect), prints every
          server line as "<- ", every client line as "-> " and remarks as "===", then the session's TLS facts as
          sendmail macros ({tls_version}, {cipher}, {verify}, {cert_subject}, ... {server_name}, {server_addr}).
          --starttls        send STARTTLS if the server offers it, then EHLO again over TLS
          --tls-on-connect  start TLS as soon as the connection opens (SMTPS, RFC 8314)
          --cert, --key     client certificate and key (PEM), sent if the server asks; no group or world access to the key
          --cafile          CA certificates (PEM) for {verify}: OK if the server's chain ends at one, else FAIL
          --helo            the EHLO name (default: this machine's name)
          --timeout         seconds to wait for the connection and for every read (default 30)
          Exit 0 when the dialog ran to the end, 69 if the connection or TLS handshake failed, 64 for usage errors,
          78 for an unusable certificate, key or CA file.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args is ["help" or "--help" or "-h", ..])
        {
            output.WriteLine(HelpText);
            return 0;
        }

        ProbeDialog dialog;
        try
        {
            var switches = ProbeSwitches.Parse(args);
            dialog = new ProbeDialog(switches, ClientTlsFiles.ClientOptions(switches.BareHost, switches.CertFile, switches.KeyFile, switches.CaFile, new PlatformTlsCrypto(new SecureRandom())), output);
        }
        catch (ProbeUsageError e)
        {
            await error.WriteLineAsync($"gateway probe: {e.Message}; try 'gateway probe --help'").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (ClientFileError e)
        {
            await error.WriteLineAsync($"gateway probe: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Config;
        }

        try
        {
            await dialog.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (ProbeFailure e)
        {
            await error.WriteLineAsync($"gateway probe: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
    }
}
