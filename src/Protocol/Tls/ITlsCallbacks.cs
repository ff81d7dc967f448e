using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.X509;

namespace Gateway.Protocol.Tls;

/// <summary>What <see cref="TlsEngineCore"/> needs from either side's BouncyCastle callbacks (GatewayTlsServer, GatewayTlsClient).</summary>
internal interface ITlsCallbacks
{
    TlsNotifications Notifications { get; }

    TlsContext Context { get; }

    /// <summary>The other side's chain as received, leaf first; empty when it sent none.</summary>
    IReadOnlyList<TlsCertificate> ReceivedChain { get; }

    DnFormat DnFormat { get; }

    /// <summary>This side's <c>{verify}</c> for the other side's chain, and why (SPEC R16, R23, R41).</summary>
    (string Verify, string Reason) Judge(IReadOnlyList<X509Certificate> chain);
}
