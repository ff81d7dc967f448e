using System.Globalization;
using System.Text;
using Gateway.Protocol.Access;

namespace Gateway.Bench;

/// <summary>A synthetic access map of the size an ISP-scale site might have: host, address, domain and issuer entries.</summary>
internal static class BenchMap
{
    public static AccessMap Build(int entries)
    {
        var text = new StringBuilder(entries * 48);
        for (var i = 0; i < entries; i++)
        {
            var line = (i % 5) switch
            {
                0 => $"TLS_Clt:host{i}.clients.example   VERIFY:128",
                1 => $"Connect:10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}   RELAY",
                2 => $"To:domain{i}.example   RELAY",
                3 => $"From:user{i}@senders.example   REJECT",
                _ => $"CertIssuer:/C=US/O=Issuer+20{i}/CN=CA+20{i}   RELAY",
            };
            text.Append(line).Append('\n');
        }

        text.Append("TLS_Clt:   ENCR:0\nSrv_Features:   v\n");
        return AccessMap.Parse(text.ToString(), "bench");
    }

    public static string Client(int n) => string.Create(CultureInfo.InvariantCulture, $"host{n}.clients.example");

    public static string Address(int n) => string.Create(CultureInfo.InvariantCulture, $"172.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}");
}
