namespace CostNotifier.EventStore;

/// <summary>
/// The version a stream must be at for an append to succeed: 0 for a stream that does not exist yet,
/// otherwise the number of the last event the writer has seen.
/// </summary>
public readonly record struct ExpectedVersion
{
    private ExpectedVersion(long value) => Value = value;

    /// <summary>The stream must not exist yet.</summary>
    public static ExpectedVersion NoStream { get; } = new(0);

    /// <summary>The version number.</summary>
    public long Value { get; }

    /// <summary>The stream's last event must be number <paramref name="version"/>.</summary>
    public static ExpectedVersion At(long version) =>
        version < 0 ? throw new ArgumentOutOfRangeException(nameof(version)) : new ExpectedVersion(version);

    /// <summary>The version the appended event receives.</summary>
    public long Next => Value + 1;

    /// <inheritdoc />
    public override string ToString() => Value == 0 ? "no stream" : Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
