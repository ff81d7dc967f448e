using Microsoft.Extensions.Logging;
using AkkaLevel = Akka.Event.LogLevel;

namespace Gateway.Hosting;

/// <summary>
/// sendmail's LogLevel (SPEC R80: an event is logged when LogLevel is greater than its threshold;
/// default 9) mapped onto .NET log levels: up to 4 errors only, 5–8 warnings too, 9–11 the
/// informational events (sessions, deliveries), 12–13 debug, 14 and above everything.
/// </summary>
internal static class LogLevels
{
    public static LogLevel FromSendmail(int level) => level switch
    {
        <= 4 => LogLevel.Error,
        <= 8 => LogLevel.Warning,
        <= 11 => LogLevel.Information,
        <= 13 => LogLevel.Debug,
        _ => LogLevel.Trace,
    };

    public static AkkaLevel AkkaFromSendmail(int level) => level switch
    {
        <= 4 => AkkaLevel.ErrorLevel,
        <= 8 => AkkaLevel.WarningLevel,
        <= 11 => AkkaLevel.InfoLevel,
        _ => AkkaLevel.DebugLevel,
    };
}
