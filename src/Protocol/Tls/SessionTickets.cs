using System.Security.Cryptography;

namespace Gateway.Protocol.Tls;

/// <summary>
/// Seals a <see cref="ResumableSession"/> into a TLS 1.2 session ticket and opens one (RFC 5077 §4's recommended
/// construction, with AES-256-GCM in place of AES-CBC plus HMAC): <c>key_name(16) ‖ nonce(12) ‖ ciphertext ‖ tag(16)</c>,
/// the key name authenticated as associated data. The ticket is the client's to keep and show any node: it holds
/// the master secret, so only the key's holders can read it, and any change to it makes it fail to open.
/// </summary>
public sealed class SessionTickets(SessionTicketKeys keys)
{
    private const int NonceLength = 12;
    private const int TagLength = 16;

    public SessionTicketKeys Keys => keys;

    /// <param name="nonce">12 fresh random bytes (the node's entropy source: GCM must never reuse a nonce under one key).</param>
    public byte[] Seal(ResumableSession session, ReadOnlySpan<byte> nonce)
    {
        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException($"a ticket nonce has {NonceLength} bytes", nameof(nonce));
        }

        var (name, key) = keys.Current(session.Issued);
        var plaintext = session.Encode();
        var ticket = new byte[SessionTicketKeys.NameLength + NonceLength + plaintext.Length + TagLength];
        var span = ticket.AsSpan();
        name.CopyTo(span);
        nonce.CopyTo(span[SessionTicketKeys.NameLength..]);
        using (var gcm = new AesGcm(key, TagLength))
        {
            gcm.Encrypt(
                nonce,
                plaintext,
                span.Slice(SessionTicketKeys.NameLength + NonceLength, plaintext.Length),
                span[^TagLength..],
                name);
        }

        CryptographicOperations.ZeroMemory(plaintext);
        return ticket;
    }

    /// <summary>The session in <paramref name="ticket"/>, or null: an unknown or expired key, a forged or damaged ticket.</summary>
    public ResumableSession? Open(ReadOnlySpan<byte> ticket, DateTimeOffset now)
    {
        if (ticket.Length <= SessionTicketKeys.NameLength + NonceLength + TagLength)
        {
            return null;
        }

        var name = ticket[..SessionTicketKeys.NameLength];
        if (keys.Find(name, now) is not { } key)
        {
            return null;
        }

        var ciphertext = ticket[(SessionTicketKeys.NameLength + NonceLength)..^TagLength];
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var gcm = new AesGcm(key, TagLength);
            gcm.Decrypt(ticket.Slice(SessionTicketKeys.NameLength, NonceLength), ciphertext, ticket[^TagLength..], plaintext, name);
            return ResumableSession.Decode(plaintext);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
