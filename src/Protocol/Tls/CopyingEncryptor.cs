using Org.BouncyCastle.Tls.Crypto;

namespace Gateway.Protocol.Tls;

/// <summary>
/// The bytes of a BouncyCastle <see cref="TlsSecret"/> without destroying it: <c>Extract()</c> destroys the secret,
/// and the master secret must outlive its copy into a ticket (BouncyCastle still derives the Finished from it).
/// <c>TlsSecret.Encrypt</c> hands its bytes to an encryptor; this one returns them as they are, for
/// <see cref="SessionTickets"/> to encrypt.
/// </summary>
internal sealed class CopyingEncryptor : TlsEncryptor
{
    public static readonly CopyingEncryptor Instance = new();

    public byte[] Encrypt(byte[] input, int inOff, int length) => input.AsSpan(inOff, length).ToArray();
}
