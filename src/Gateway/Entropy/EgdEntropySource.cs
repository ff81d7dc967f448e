using System.Net.Sockets;
using Gateway.Actors.Entropy;
using Gateway.Protocol.Entropy;

namespace Gateway.Entropy;

/// <summary>
/// SPEC R76/R77: <c>egd:/path</c>. Connects to the daemon's Unix socket, sends <c>01 FF</c>, reads the count byte
/// and that many bytes; at least 32 bytes seed. Asynchronous with a 5 s deadline for the whole exchange, so a
/// stuck daemon costs a failed seeding, never a thread.
/// </summary>
internal sealed class EgdEntropySource(string socketPath, bool insufficientEntropy, TimeSpan timeout) : IEntropySource
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    public string Description => "egd:" + socketPath;

    public async Task<EntropyReading> ReadAsync(CancellationToken cancel)
    {
        var reply = new EgdReply();
        string? failure = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(timeout);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), deadline.Token).ConfigureAwait(false);
            await socket.SendAsync(EgdReply.ReadRequest, SocketFlags.None, deadline.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            while (!reply.Done)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    reply.EndOfStream();
                    break;
                }

                reply.Offer(buffer.AsSpan(0, n));
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            failure = $"no complete reply within {timeout.TotalSeconds:0.#} s";
        }
        catch (SocketException e)
        {
            failure = e.Message;
        }

        if (reply.Seed is { } seed)
        {
            return new EntropyReading(seed, new SeedOutcome(SeedStatus.Ok, seed.Length, []));
        }

        // R77: sendmail logs this whatever the LogLevel.
        var why = failure ?? reply.Failure ?? "no reply";
        return new EntropyReading(
            [],
            SeedOutcome.From(false, 0, [$"STARTTLS: RAND_egd({socketPath}) failed: random number generator not seeded ({why})"], insufficientEntropy));
    }
}
