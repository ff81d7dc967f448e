using System.Runtime.InteropServices;

namespace Gateway.Cli;

/// <summary>
/// Ctrl-C and SIGTERM for a command that stops early on request: the first asks it to stop (for <c>gateway load</c>,
/// the partial report); a second ends the process as usual. Nothing is taken over until <see cref="Listen"/>.
/// </summary>
internal sealed class ConsoleInterrupt : IDisposable
{
    private readonly CancellationTokenSource _interrupt = new();
    private PosixSignalRegistration? _terminate;

    public CancellationToken Listen()
    {
        if (_terminate is null)
        {
            Console.CancelKeyPress += OnCancelKeyPress;

            // SIGTERM too: scripts cannot send SIGINT to a background job (a non-interactive shell starts it with
            // SIGINT ignored), and `kill` or `timeout` should still get the partial report.
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = !_interrupt.IsCancellationRequested;
                _interrupt.Cancel();
            });
        }

        return _interrupt.Token;
    }

    public void Dispose()
    {
        if (_terminate is not null)
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
            _terminate.Dispose();
        }

        _interrupt.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = !_interrupt.IsCancellationRequested;
        _interrupt.Cancel();
    }
}
