using Org.BouncyCastle.Security;

namespace Gateway.Protocol.Tls;

/// <summary>The <c>{cert_md5}</c> / <c>{cert_fp}</c> format: digest of the DER certificate as "07:F7:…:2B" (SPEC R48).</summary>
public static class Fingerprint
{
    private const string Hex = "0123456789ABCDEF";

    /// <param name="algorithm">A BouncyCastle digest name (MD5, SHA1, SHA256, …).</param>
    /// <returns>Uppercase hex pairs joined by ":"; "" when the digest is unknown or fails (R48).</returns>
    public static string Of(byte[] der, string algorithm = "MD5")
    {
        ArgumentNullException.ThrowIfNull(der);
        byte[] digest;
        try
        {
            digest = DigestUtilities.CalculateDigest(algorithm, der);
        }
        catch (Exception e) when (e is SecurityUtilityException or ArgumentException)
        {
            return "";
        }

        return Format(digest);
    }

    private static string Format(byte[] digest)
    {
        if (digest.Length == 0)
        {
            return "";
        }

        var text = new char[(digest.Length * 3) - 1];
        for (var i = 0; i < digest.Length; i++)
        {
            if (i > 0)
            {
                text[(i * 3) - 1] = ':';
            }

            text[i * 3] = Hex[digest[i] >> 4];
            text[(i * 3) + 1] = Hex[digest[i] & 0xF];
        }

        return new string(text);
    }
}
