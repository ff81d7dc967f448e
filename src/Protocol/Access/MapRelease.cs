using System.Security.Cryptography;
using System.Text;

namespace Gateway.Protocol.Access;

/// <summary>
/// One version of the access map as the cluster replicates it: the map's text exactly as the administrator wrote it
/// (every node parses it with the same code, so every node decides the same), numbered and fingerprinted so that an
/// operator can tell which version each node runs.
/// </summary>
/// <param name="Version">One more than the version the publishing node had; concurrent pushes may share a number, never a digest.</param>
/// <param name="Digest">The first 16 hex digits of the text's SHA-256: what tells two versions apart.</param>
/// <param name="Source">Where the text came from: the file that was pushed or watched.</param>
/// <param name="Origin">The node that published it (its cluster address).</param>
/// <param name="Published">When, by the publishing node's clock: for people, never for ordering.</param>
public sealed record MapRelease(long Version, string Digest, string Source, string Origin, DateTimeOffset Published, string Text)
{
    /// <summary>The fingerprint of a map's text; equal texts have equal digests on every node.</summary>
    public static string DigestOf(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>The release that follows <paramref name="current"/> (none: version 1) with <paramref name="text"/>.</summary>
    public static MapRelease Next(MapRelease? current, string text, string source, string origin, DateTimeOffset now) =>
        new((current?.Version ?? 0) + 1, DigestOf(text), source, origin, now, text);

    /// <summary>"version 3 (1f2e…) from /etc/mail/access": how logs and <c>gateway map status</c> name it.</summary>
    public string Describe() => $"version {Version} ({Digest}) of {Source}";
}
