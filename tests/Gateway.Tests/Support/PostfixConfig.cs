using System.Text;

namespace Gateway.Tests.Support;

/// <summary>
/// main.cf and master.cf for one private Postfix instance: everything it owns (queue, data, log, TLS files)
/// lies under its own directory, it listens on one loopback port, and it relays every domain to one next hop.
/// </summary>
internal static class PostfixConfig
{
    /// <param name="root">The instance's directory; etc/, queue/, data/ and tls/ are below it.</param>
    public static string MainCf(string root, int nextHopPort, PostfixPeerOptions options, bool tls)
    {
        var parameters = new Dictionary<string, string>
        {
            ["compatibility_level"] = "3.6",
            ["queue_directory"] = Path.Combine(root, "queue"),
            ["data_directory"] = Path.Combine(root, "data"),

            // postlogd writes the log to a file the test reads; it refuses paths outside these prefixes.
            ["maillog_file"] = Path.Combine(root, "maillog"),
            ["maillog_file_prefixes"] = root,

            // One instance per directory, never part of the machine's multi-instance set.
            ["multi_instance_enable"] = "no",
            ["multi_instance_directories"] = "",
            ["myhostname"] = options.Hostname,
            ["inet_interfaces"] = "127.0.0.1",
            ["inet_protocols"] = "ipv4",

            // Nothing is local: every domain is relayed to the sink, and only loopback clients may relay.
            ["mydestination"] = "",
            ["local_recipient_maps"] = "",
            ["local_transport"] = "error:5.1.1 no local delivery in this test peer",
            ["alias_maps"] = "",
            ["alias_database"] = "",
            ["mynetworks"] = "127.0.0.0/8",
            ["relayhost"] = $"[127.0.0.1]:{nextHopPort}",
            ["smtpd_relay_restrictions"] = "permit_mynetworks, reject",

            // Tests never depend on the machine's DNS: the client shows as unknown[127.0.0.1].
            ["smtpd_peername_lookup"] = "no",
            ["smtp_dns_support_level"] = "disabled",
            ["smtp_tls_security_level"] = "none",
        };
        if (tls)
        {
            parameters["smtpd_tls_security_level"] = "may";
            parameters["smtpd_tls_cert_file"] = Path.Combine(root, "tls", "server.crt");
            parameters["smtpd_tls_key_file"] = Path.Combine(root, "tls", "server.key");
            parameters["smtpd_tls_loglevel"] = options.TlsLogLevel.ToString(System.Globalization.CultureInfo.InvariantCulture);

            // The Received header then names the TLS version, cipher and the client's CN and verdict.
            parameters["smtpd_tls_received_header"] = "yes";
            if (options.CaFile is not null)
            {
                parameters["smtpd_tls_CAfile"] = Path.Combine(root, "tls", "ca.crt");
                parameters["smtpd_tls_ask_ccert"] = "yes";
            }
        }

        foreach (var (name, value) in options.MainCf)
        {
            parameters[name] = value;
        }

        var text = new StringBuilder();
        foreach (var (name, value) in parameters)
        {
            text.Append(name).Append(" = ").Append(value).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Postfix 3.7's stock services minus local delivery, with smtpd on 127.0.0.1:<paramref name="port"/>.</summary>
    public static string MasterCf(int port) =>
        $"127.0.0.1:{port} inet n - n - - smtpd\n" +
        """
        pickup    unix  n       -       n       60      1       pickup
        cleanup   unix  n       -       n       -       0       cleanup
        qmgr      unix  n       -       n       300     1       qmgr
        tlsmgr    unix  -       -       n       1000?   1       tlsmgr
        rewrite   unix  -       -       n       -       -       trivial-rewrite
        bounce    unix  -       -       n       -       0       bounce
        defer     unix  -       -       n       -       0       bounce
        trace     unix  -       -       n       -       0       bounce
        verify    unix  -       -       n       -       1       verify
        flush     unix  n       -       n       1000?   0       flush
        proxymap  unix  -       -       n       -       -       proxymap
        smtp      unix  -       -       n       -       -       smtp
        relay     unix  -       -       n       -       -       smtp
        showq     unix  n       -       n       -       -       showq
        error     unix  -       -       n       -       -       error
        retry     unix  -       -       n       -       -       error
        discard   unix  -       -       n       -       -       discard
        anvil     unix  -       -       n       -       1       anvil
        scache    unix  -       -       n       -       1       scache
        postlog   unix-dgram n  -       n       -       1       postlogd

        """;
}
