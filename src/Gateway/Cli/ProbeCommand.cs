using Gateway.Protocol.Tls;
using Org.BouncyCastle.Security;

namespace Gateway.Cli;

/// <summary>
/// <c>gateway probe HOST:PORT [--starttls | --tls-on-connect] [--cert F --key F] [--cafile F]</c>: STARTTLS
/// debugging by hand. Talks SMTP to HOST, prints the dialog and then the TLS facts in sendmail macro form.
/// Exit codes: 0 when the dialog ran to the end (whatever {verify} says), 69 when the connection or the
/// handshake failed, 78 for an unusable certificate, key or CA file (64, a bad command line, is the parser's).
/// </summary>
internal static class ProbeCommand
{
    public static async Task<int> RunAsync(ProbePlan plan, TextWriter output, TextWriter error)
    {
        ProbeDialog dialog;
        try
        {
            dialog = new ProbeDialog(plan, ClientTlsFiles.ClientOptions(plan.BareHost, plan.CertFile, plan.KeyFile, plan.CaFile, new PlatformTlsCrypto(new SecureRandom())), output);
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
