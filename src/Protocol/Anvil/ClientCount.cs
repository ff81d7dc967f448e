namespace Gateway.Protocol.Anvil;

/// <summary>One client's figures as a node counts them: sessions open now, and sessions begun in the last minute.</summary>
public readonly record struct ClientCount(int Connections, int Rate)
{
    public static ClientCount operator +(ClientCount a, ClientCount b) => new(a.Connections + b.Connections, a.Rate + b.Rate);

    public bool IsZero => Connections == 0 && Rate == 0;
}
