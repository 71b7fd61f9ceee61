using CostNotifier.Domain;

namespace CostNotifier.EventStore;

/// <summary>
/// One event stream per report period: <c>report#&lt;reportId&gt;#&lt;period&gt;</c>, the period being a day
/// (<c>2026-11-29</c>), an ISO week (<c>2026-W48</c>) or a month (<c>2026-11</c>).
/// </summary>
public readonly record struct StreamId(ReportId Report, ReportPeriod Period)
{
    /// <summary>The stream's name as stored.</summary>
    public string Name => $"report#{Report}#{Period}";

    /// <summary>Parses a stream name written by <see cref="Name"/>.</summary>
    public static StreamId Parse(string name)
    {
        var parts = name?.Split('#') ?? [];
        if (parts.Length != 3 || parts[0] != "report")
        {
            throw new FormatException($"'{name}' is not a report stream name (report#<id>#<period>).");
        }

        return new StreamId(ReportId.Parse(parts[1]), ReportPeriod.Parse(parts[2]));
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
