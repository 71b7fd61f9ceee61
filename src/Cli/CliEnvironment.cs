namespace CostNotifier.Cli;

/// <summary>
/// The environment a CLI run reads its settings from: the process environment in production, an explicit set
/// of variables in tests, so parallel runs never share state.
/// </summary>
public sealed record CliEnvironment
{
    private readonly Func<string, string?> _read;

    private CliEnvironment(Func<string, string?> read) => _read = read;

    /// <summary>The process environment.</summary>
    public static CliEnvironment Process { get; } = new(Environment.GetEnvironmentVariable);

    /// <summary>Exactly these variables, nothing from the process.</summary>
    public static CliEnvironment From(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var copy = new Dictionary<string, string?>(variables, StringComparer.Ordinal);
        return new CliEnvironment(name => copy.TryGetValue(name, out var value) ? value : null);
    }

    /// <summary>A variable's value, or null when it is unset or blank.</summary>
    public string? Get(string name) => _read(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>How often a running SQS message move task is polled for progress.</summary>
    internal TimeSpan MoveTaskPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Called by the one-message-at-a-time redrive after a message was copied to its source queue and before it is
    /// deleted from the dead-letter queue: the window where a crash leaves a duplicate. Tests interrupt it here.
    /// </summary>
    internal Func<string, CancellationToken, Task>? AfterRedriveCopy { get; init; }
}
