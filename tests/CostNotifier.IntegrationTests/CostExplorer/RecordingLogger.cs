using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CostNotifier.IntegrationTests.CostExplorer;

/// <summary>Keeps every log entry with its structured properties, for assertions on what was logged.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var properties = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        _entries.Enqueue(new LogEntry(
            logLevel,
            formatter(state, exception),
            properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            exception));
    }
}

/// <summary>One log entry.</summary>
internal sealed record LogEntry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Properties, Exception? Exception);
