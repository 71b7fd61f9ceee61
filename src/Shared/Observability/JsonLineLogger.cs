using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Observability;

/// <summary>
/// Writes one JSON object per log entry (timestamp, level, category, message, named placeholders and scope values
/// such as the correlation id), the shape CloudWatch Logs Insights queries best.
/// </summary>
public sealed class JsonLineLoggerProvider(TextWriter output, LogLevel minimumLevel, TimeProvider time) : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentDictionary<string, JsonLineLogger> _loggers = new(StringComparer.Ordinal);
    private readonly TextWriter _output = output;
    private readonly LogLevel _minimumLevel = minimumLevel;
    private readonly TimeProvider _time = time;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) =>
        _loggers.GetOrAdd(categoryName, name => new JsonLineLogger(this, name));

    /// <inheritdoc />
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <inheritdoc />
    public void Dispose() => _loggers.Clear();

    private sealed class JsonLineLogger(JsonLineLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider._minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("timestamp", provider._time.GetUtcNow());
                json.WriteString("level", logLevel.ToString());
                json.WriteString("category", category);
                json.WriteString("message", formatter(state, exception));
                provider._scopes.ForEachScope((scope, writer) => WriteProperties(writer, scope), json);
                WriteProperties(json, state);
                if (exception is not null)
                {
                    json.WriteString("exception", exception.GetType().FullName);
                    json.WriteString("exceptionMessage", exception.Message);
                    json.WriteString("stackTrace", exception.StackTrace);
                }

                json.WriteEndObject();
            }

            var line = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            lock (provider)
            {
                provider._output.WriteLine(line);
            }
        }

        private static void WriteProperties(Utf8JsonWriter json, object? state)
        {
            if (state is not IEnumerable<KeyValuePair<string, object?>> properties)
            {
                return;
            }

            foreach (var (key, value) in properties)
            {
                if (key == "{OriginalFormat}" || string.IsNullOrEmpty(key))
                {
                    continue;
                }

                var name = char.ToLowerInvariant(key[0]) + key[1..];
                switch (value)
                {
                    case null:
                        json.WriteNull(name);
                        break;
                    case bool b:
                        json.WriteBoolean(name, b);
                        break;
                    case int or long or decimal or double:
                        json.WriteNumber(name, Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    default:
                        json.WriteString(name, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }
        }
    }
}
