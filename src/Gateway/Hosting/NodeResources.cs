using Gateway.Actors.Connection;
using Gateway.Actors.Delivery;
using Gateway.Actors.Entropy;
using Gateway.Actors.Queue;
using Gateway.Actors.Relay;
using Gateway.Actors.Policy;
using Gateway.Protocol.Tls;
using Org.BouncyCastle.Crypto.Prng;

namespace Gateway.Hosting;

/// <summary>
/// What a node opens and loads before its actors start, handed to its <see cref="NodeGuardian"/> as values.
/// The host owns (and disposes) the spool and the delivery's workers; the actors only use them.
/// </summary>
/// <param name="MapFile">Access:MapFile's text read at start, published to the cluster when it differs; null: none.</param>
/// <param name="Generator">SPEC R71: the one generator every TLS engine of the node draws from; only the EntropyActor seeds it.</param>
/// <param name="Resolver">The clients' reverse lookup (Dns:ReverseLookup); null: none.</param>
/// <param name="NextHops">Where outbound connections go (MX, A/AAAA).</param>
/// <param name="ClientCredentials">Tls:ClientCertFile/ClientKeyFile, checked; null: none presented.</param>
internal sealed record NodeResources(
    ISpool Spool,
    IMailDelivery Delivery,
    MapReplicaProtocol.PublishMap? MapFile,
    TlsServerOptions Tls,
    IRandomGenerator Generator,
    IEntropySource Entropy,
    IClientResolver? Resolver,
    INextHopResolver NextHops,
    TlsClientCredentials? ClientCredentials);
