using Akka.Event;
using Gateway.Actors.Connection;

namespace Gateway.Listener;

/// <summary>Stress mode (<see cref="Configuration.StressSettings"/>): the settings a new session gets when slots run short.</summary>
internal sealed partial class SmtpListener
{
    // The stressed copy of each listener kind's settings, made once (three kinds at most).
    private readonly Dictionary<ConnectionSettings, ConnectionSettings> _stressed = new(ReferenceEqualityComparer.Instance);
    private bool _underStress;

    /// <summary><paramref name="connection"/>, or its copy with the stress timeouts when the node is near its limit; logged on each change.</summary>
    private ConnectionSettings UnderStress(ConnectionSettings connection)
    {
        var stressed = _settings.Stress is { } stress && _clients.Count >= stress.Threshold;
        if (stressed != _underStress)
        {
            _underStress = stressed;
            if (stressed)
            {
                _log.Warning(
                    "stress: {0} sessions open of Smtp:MaxConnections {1}: new sessions get {2} s idle and handshake timeouts",
                    _clients.Count, _settings.MaxConnections, _settings.Stress!.Timeout.TotalSeconds);
            }
            else
            {
                _log.Info("stress: over, {0} sessions open: new sessions get the usual timeouts", _clients.Count);
            }
        }

        if (!stressed)
        {
            return connection;
        }

        if (!_stressed.TryGetValue(connection, out var copy))
        {
            var timeout = _settings.Stress!.Timeout;
            copy = connection with
            {
                IdleTimeout = Min(connection.IdleTimeout, timeout),
                // Zero means the connection's own default (5 minutes): the stress timeout is shorter.
                HandshakeTimeout = connection.HandshakeTimeout == TimeSpan.Zero ? timeout : Min(connection.HandshakeTimeout, timeout),
                // Postfix turns smtpd_per_record_deadline on under stress: a byte every few seconds must not keep the slot.
                PerRecordDeadline = true,
            };
            _stressed[connection] = copy;
        }

        return copy;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
