using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Support;

/// <summary>
/// A name server on a loopback UDP port of its own (port 0), for the DNS tests: it answers PTR, A, AAAA and MX
/// questions from a table (RFC 1035 §4.1 message format), can answer NXDOMAIN or SERVFAIL for a name, or say
/// nothing at all (a resolver timeout). It counts the questions it was asked.
/// </summary>
internal sealed class TinyDnsServer : IAsyncDisposable
{
    private const ushort TypeA = 1;
    private const ushort TypePtr = 12;
    private const ushort TypeMx = 15;
    private const ushort TypeAaaa = 28;

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly ConcurrentDictionary<(string Name, ushort Type), byte[][]> _records = new();
    private readonly ConcurrentDictionary<string, int> _rcodes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, bool> _silent = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> _asked = new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public TinyDnsServer() => _serving = ServeAsync();

    public IPEndPoint Endpoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>address → name, as its in-addr.arpa / ip6.arpa PTR record.</summary>
    public TinyDnsServer Pointer(string address, string name)
    {
        _records[(ReverseName(IPAddress.Parse(address)), TypePtr)] = [EncodeName(name)];
        return this;
    }

    /// <summary>name → addresses, as A and AAAA records.</summary>
    public TinyDnsServer Addresses(string name, params string[] addresses)
    {
        var parsed = addresses.Select(IPAddress.Parse).ToArray();
        _records[(name.ToLowerInvariant(), TypeA)] = [.. parsed.Where(a => a.AddressFamily == AddressFamily.InterNetwork).Select(a => a.GetAddressBytes())];
        _records[(name.ToLowerInvariant(), TypeAaaa)] = [.. parsed.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).Select(a => a.GetAddressBytes())];
        return this;
    }

    /// <summary>domain → MX records (preference, exchange); an exchange of "." is RFC 7505's null MX.</summary>
    public TinyDnsServer Mx(string domain, params (int Preference, string Exchange)[] records)
    {
        _records[(domain.ToLowerInvariant(), TypeMx)] =
            [.. records.Select(r => (byte[])[(byte)(r.Preference >> 8), (byte)r.Preference, .. EncodeName(r.Exchange)])];
        return this;
    }

    /// <summary>Answer every question about <paramref name="name"/> with this RCODE (2 SERVFAIL, 3 NXDOMAIN).</summary>
    public TinyDnsServer Rcode(string name, int rcode)
    {
        _rcodes[name.ToLowerInvariant()] = rcode;
        return this;
    }

    /// <summary>Answer every question about the address's PTR name with this RCODE (2 SERVFAIL, 3 NXDOMAIN).</summary>
    public TinyDnsServer PointerRcode(string address, int rcode)
    {
        _rcodes[ReverseName(IPAddress.Parse(address))] = rcode;
        return this;
    }

    /// <summary>Never answer questions about the address's PTR name.</summary>
    public TinyDnsServer PointerSilent(string address)
    {
        _silent[ReverseName(IPAddress.Parse(address))] = true;
        return this;
    }

    /// <summary>How many PTR questions were asked about the address.</summary>
    public int PointerQuestions(string address) => _asked.GetValueOrDefault(ReverseName(IPAddress.Parse(address)));

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private static string ReverseName(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork
            ? string.Join('.', bytes.Reverse()) + ".in-addr.arpa"
            : string.Join('.', Convert.ToHexStringLower(bytes).Reverse()) + ".ip6.arpa";
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        // The root (".") is the empty name: its terminating zero alone.
        foreach (var label in name == "." ? [] : name.TrimEnd('.').Split('.'))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var request = await _udp.ReceiveAsync(_stop.Token);
            if (Answer(request.Buffer) is { } response)
            {
                await _udp.SendAsync(response, request.RemoteEndPoint, _stop.Token);
            }
        }
    }

    private byte[]? Answer(byte[] query)
    {
        // Header (12 bytes), then one question: the name's labels, type, class.
        var at = 12;
        var labels = new List<string>();
        while (query[at] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(query, at + 1, query[at]));
            at += 1 + query[at];
        }

        at++;
        var name = string.Join('.', labels).ToLowerInvariant();
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(at));
        var question = query.AsSpan(12, at + 4 - 12);
        if (type == TypePtr)
        {
            _asked.AddOrUpdate(name, 1, (_, n) => n + 1);
        }

        if (_silent.ContainsKey(name))
        {
            return null;
        }

        var rcode = _rcodes.GetValueOrDefault(name);
        var answers = rcode == 0 ? _records.GetValueOrDefault((name, type)) ?? [] : [];
        if (rcode == 0 && answers.Length == 0 && !_records.Keys.Any(k => k.Name == name))
        {
            rcode = 3;
        }

        var response = new List<byte>();
        var header = new byte[12];
        query.AsSpan(0, 2).CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(0x8180 | (query[2] & 0x01) << 8 | rcode));
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), (ushort)answers.Length);
        response.AddRange(header);
        response.AddRange(question.ToArray());
        foreach (var data in answers)
        {
            // The name as a pointer to the question's (offset 12), type, class IN, TTL 60, the data.
            var record = new byte[12];
            BinaryPrimitives.WriteUInt16BigEndian(record, 0xC00C);
            BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(2), type);
            BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(4), 1);
            BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(6), 60);
            BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(10), (ushort)data.Length);
            response.AddRange(record);
            response.AddRange(data);
        }

        return [.. response];
    }
}
