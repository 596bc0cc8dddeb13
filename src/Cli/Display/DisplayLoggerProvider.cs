using Microsoft.Extensions.Logging;

namespace HyperSwarm.Cli.Display;

/// <summary>
/// Turns a node's log entries into display lines (<c>warning: Session with … ended …</c>), so
/// the live panel and redirected output show them in place instead of a second console writer
/// scribbling over the panel. An exception adds its message; with <c>--verbose</c>, all of it.
/// </summary>
internal sealed class DisplayLoggerProvider(Action<string> write, bool verbose) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new LineLogger(write, verbose);

    public void Dispose()
    {
    }

    private sealed class LineLogger(Action<string> write, bool verbose) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var prefix = logLevel switch
            {
                LogLevel.Critical or LogLevel.Error => "error: ",
                LogLevel.Warning => "warning: ",
                _ => "",
            };
            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = verbose
                    ? message + Environment.NewLine + exception
                    : $"{message.TrimEnd('.')}: {exception.Message.TrimEnd('.')}.";
            }

            write(prefix + message);
        }
    }
}
