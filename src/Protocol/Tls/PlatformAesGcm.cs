using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace Gateway.Protocol.Tls;

/// <summary>
/// One direction of an AES-GCM record protection (TLS 1.3, RFC 8446 §5.2; TLS 1.2's GCM suites, RFC 5288) on the
/// platform's <see cref="AesGcm"/> (OpenSSL on Linux) behind BouncyCastle's <see cref="TlsAeadCipherImpl"/> seam:
/// BouncyCastle's record layer (nonces, sequence numbers, additional data) is unchanged, only the cipher moves.
/// BouncyCastle's GcmBlockCipher allocated its per-record state on every record (Init and Reset: about a fifth of what
/// a STARTTLS session still allocated after the key schedule moved, GC allocation ticks by stack); AesGcm keeps one
/// native context per key. BouncyCastle encrypts and decrypts in place (the output is the input's buffer at the same
/// offset), which AesGcm allows; the tag follows the ciphertext. BouncyCastle never tells a cipher that its connection
/// has ended, so a connection's last context is freed by its SafeHandle's finalizer; a replaced one is disposed at once.
/// </summary>
public sealed class PlatformAesGcm(bool isEncrypting) : TlsAeadCipherImpl
{
    private byte[]? _key;
    private AesGcm? _aes;
    private int _tagSize;
    private byte[]? _nonce;
    private byte[]? _additionalData;

    public void SetKey(byte[] key, int keyOff, int keyLen) => SetKey(key.AsSpan(keyOff, keyLen));

    public void SetKey(ReadOnlySpan<byte> key)
    {
        // TLS 1.3 sets a key per traffic secret (and again on KeyUpdate); the context is made at the next Init,
        // which is where BouncyCastle says the tag length.
        _aes?.Dispose();
        _aes = null;
        _key = key.ToArray();
    }

    public void Init(byte[] nonce, int macSize, byte[] additionalData)
    {
        if (_aes is null)
        {
            var key = _key ?? throw new TlsFatalAlert(AlertDescription.internal_error);
            _aes = new AesGcm(key, macSize);
            _tagSize = macSize;
            CryptographicOperations.ZeroMemory(key);
            _key = null;
        }
        else if (_tagSize != macSize)
        {
            // One key, one tag length: TLS never changes it (16 for every GCM suite).
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }

        _nonce = nonce;
        _additionalData = additionalData;
    }

    public int GetOutputSize(int inputLength) => isEncrypting ? inputLength + _tagSize : Math.Max(0, inputLength - _tagSize);

    public int DoFinal(byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset) =>
        DoFinal(_additionalData!, input, inputOffset, inputLength, output, outputOffset);

    public int DoFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset)
    {
        var aes = _aes ?? throw new TlsFatalAlert(AlertDescription.internal_error);
        var nonce = _nonce ?? throw new TlsFatalAlert(AlertDescription.internal_error);
        if (isEncrypting)
        {
            aes.Encrypt(
                nonce,
                input.AsSpan(inputOffset, inputLength),
                output.AsSpan(outputOffset, inputLength),
                output.AsSpan(outputOffset + inputLength, _tagSize),
                additionalData);
            return inputLength + _tagSize;
        }

        var length = inputLength - _tagSize;
        if (length < 0)
        {
            throw new TlsFatalAlert(AlertDescription.bad_record_mac);
        }

        try
        {
            aes.Decrypt(
                nonce,
                input.AsSpan(inputOffset, length),
                input.AsSpan(inputOffset + length, _tagSize),
                output.AsSpan(outputOffset, length),
                additionalData);
        }
        catch (AuthenticationTagMismatchException e)
        {
            // RFC 8446 §5.2: a record that fails to deprotect ends the connection with bad_record_mac.
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
        }

        return length;
    }

    public void Reset()
    {
    }
}
