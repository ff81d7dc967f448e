using System.Diagnostics;

namespace Gateway.Tests.Tls;

/// <summary>/usr/bin/openssl as an independent judge of what CertificateAuthority produces.</summary>
internal static class CaOpenSsl
{
    public static (int Exit, string Output) Run(params string[] args) => RunWithInput(args, "");

    /// <summary>openssl s_client -starttls smtp against <paramref name="smtp"/>; its whole output (the handshake's facts or its failure).</summary>
    public static string StartTls(System.Net.IPEndPoint smtp, params string[] options) =>
        Run(["s_client", "-starttls", "smtp", "-connect", smtp.ToString(), .. options]).Output;

    /// <summary>Runs openssl with <paramref name="input"/> on its stdin, then closed.</summary>
    public static (int Exit, string Output) RunWithInput(string[] args, string input)
    {
        var info = new ProcessStartInfo("/usr/bin/openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Closed at once: s_client would otherwise wait on the test host's stdin for ever.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start openssl");
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs <c>openssl verify</c> and asserts that it says OK.</summary>
    public static void AssertVerifies(params string[] args)
    {
        var (exit, output) = Run(["verify", .. args]);
        Assert.True(exit == 0 && output.Contains(": OK", StringComparison.Ordinal), $"openssl verify {string.Join(' ', args)}:\n{output}");
    }
}
