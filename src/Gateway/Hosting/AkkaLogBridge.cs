using System.Globalization;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;
using Akka.Hosting.Logging;
using Microsoft.Extensions.Logging;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Gateway.Hosting;

/// <summary>
/// Akka.NET's log events into Microsoft.Extensions.Logging, one line each: the category is the logging class
/// (Gateway.Listener.SmtpListener; "Akka" for Akka's own remoting and cluster lines), the text is the message alone. Akka.Hosting's own bridge
/// puts Akka's whole prefix ([INFO][time][thread][path]) inside the line a console logger prefixes again; operators
/// grep sendmail's lines, and a JSON log (Logging:Format=json) wants the message as its message.
/// The actor path, when it is not the class, goes into the line's scope (shown by the JSON console as ActorPath).
/// </summary>
internal sealed class AkkaLogBridge : ActorBase, IRequiresMessageQueue<ILoggerMessageQueueSemantics>
{
    private readonly ILoggerFactory _factory;
    private readonly Dictionary<Type, ILogger> _loggers = [];

    public AkkaLogBridge()
    {
        var setup = Context.System.Settings.Setup.Get<LoggerFactorySetup>();
        _factory = setup.HasValue
            ? setup.Value.LoggerFactory
            : throw new InvalidOperationException("AkkaLogBridge needs the ILoggerFactory setup (Akka.Hosting's LoggerFactorySetup)");
    }

    protected override bool Receive(object message)
    {
        switch (message)
        {
            case InitializeLogger:
                Sender.Tell(new LoggerInitialized());
                return true;
            case LogEvent log:
                Write(log);
                return true;
            default:
                return false;
        }
    }

    private void Write(LogEvent log)
    {
        if (!_loggers.TryGetValue(log.LogClass, out var logger))
        {
            // Akka's own string-sourced events (remoting, cluster) have no class of their own: "Akka".
            _loggers[log.LogClass] = logger = log.LogClass == typeof(DummyClassForStringSources)
                ? _factory.CreateLogger("Akka")
                : _factory.CreateLogger(log.LogClass);
        }

        var level = Level(log.LogLevel());
        if (!logger.IsEnabled(level))
        {
            return;
        }

        using (logger.BeginScope(new KeyValuePair<string, object>[] { new("ActorPath", log.LogSource) }))
        {
            logger.Log(level, default, Text(log.Message), log.Cause, static (text, _) => text);
        }
    }

    /// <summary>Akka's positional format filled in; a format that does not match its arguments is shown as it is, not lost.</summary>
    private static string Text(object message)
    {
        if (message is not LogMessage formatted)
        {
            return message?.ToString() ?? "";
        }

        try
        {
            return string.Format(CultureInfo.InvariantCulture, formatted.Format, [.. formatted.Parameters()]);
        }
        catch (FormatException)
        {
            return $"{formatted.Format} [{string.Join(", ", formatted.Parameters())}]";
        }
    }

    private static LogLevel Level(Akka.Event.LogLevel level) => level switch
    {
        Akka.Event.LogLevel.DebugLevel => LogLevel.Debug,
        Akka.Event.LogLevel.InfoLevel => LogLevel.Information,
        Akka.Event.LogLevel.WarningLevel => LogLevel.Warning,
        _ => LogLevel.Error,
    };
}
