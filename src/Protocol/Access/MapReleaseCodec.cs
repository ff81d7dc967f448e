using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Gateway.Protocol.Access;

/// <summary>
/// A <see cref="MapRelease"/> as one string, the value the cluster replicates: six header lines, then the map's text
/// compressed (access maps are repetitive text; gzip makes a 1 MB map about 100 kB, well inside one remoting frame).
/// Decoding checks everything, because the string arrives from the network and from the durable store on disk.
/// </summary>
public static class MapReleaseCodec
{
    /// <summary>The first line; a later format gets a new one, and an older node then keeps its last map rather than misread.</summary>
    public const string Magic = "gateway-access-map/1";

    /// <summary>The largest map text a release may unpack to: a bound against a decompression bomb.</summary>
    public const int MaxTextBytes = 64 * 1024 * 1024;

    /// <summary>
    /// The largest encoded release: the replicated register travels in one remoting frame, whose size the node sets
    /// above this (akka.remote.dot-netty.tcp.maximum-frame-size). About 40 MB of typical map text.
    /// </summary>
    public const int MaxEncodedLength = 8 * 1024 * 1024;

    public static string Encode(MapRelease release)
    {
        ArgumentNullException.ThrowIfNull(release);
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(release.Text));
        }

        return string.Join(
            '\n',
            Magic,
            release.Version.ToString(CultureInfo.InvariantCulture),
            release.Digest,
            OneLine(release.Source),
            OneLine(release.Origin),
            release.Published.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            Convert.ToBase64String(packed.GetBuffer(), 0, (int)packed.Length));
    }

    /// <summary>The release, or null with the reason when <paramref name="value"/> is not one this node can read.</summary>
    public static MapRelease? Decode(string value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parts = value.Split('\n');
        if (parts.Length != 7 || parts[0] != Magic)
        {
            error = parts[0] == Magic ? "malformed release" : $"unknown format '{OneLine(parts[0])[..Math.Min(parts[0].Length, 40)]}' (a newer gateway?)";
            return null;
        }

        if (!long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            || !long.TryParse(parts[5], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var published)
            || published < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || published > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            error = "malformed version or time";
            return null;
        }

        if (Unpack(parts[6]) is not { } text)
        {
            error = "the map's text does not unpack";
            return null;
        }

        if (MapRelease.DigestOf(text) != parts[2])
        {
            error = "the map's text does not match its digest";
            return null;
        }

        error = null;
        return new MapRelease(version, parts[2], parts[3], parts[4], DateTimeOffset.FromUnixTimeMilliseconds(published), text);
    }

    private static string? Unpack(string base64)
    {
        byte[] packed;
        try
        {
            packed = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }

        try
        {
            using var gzip = new GZipStream(new MemoryStream(packed), CompressionMode.Decompress);
            using var text = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = gzip.Read(buffer)) > 0)
            {
                if (text.Length + read > MaxTextBytes)
                {
                    return null;
                }

                text.Write(buffer, 0, read);
            }

            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(text.GetBuffer(), 0, (int)text.Length);
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>A header field on one line: control characters (a path may hold any) become '?'.</summary>
    private static string OneLine(string text) => string.Create(text.Length, text, (span, t) =>
    {
        for (var i = 0; i < t.Length; i++)
        {
            span[i] = char.IsControl(t[i]) ? '?' : t[i];
        }
    });
}
