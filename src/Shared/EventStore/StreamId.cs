using CostNotifier.Domain;

namespace CostNotifier.EventStore;

/// <summary>One event stream per report-day: <c>report#&lt;reportId&gt;#&lt;yyyy-MM-dd&gt;</c>.</summary>
public readonly record struct StreamId(ReportId Report, ReportDate Date)
{
    /// <summary>The stream's name as stored.</summary>
    public string Name => $"report#{Report}#{Date}";

    /// <summary>Parses a stream name written by <see cref="Name"/>.</summary>
    public static StreamId Parse(string name)
    {
        var parts = name?.Split('#') ?? [];
        if (parts.Length != 3 || parts[0] != "report")
        {
            throw new FormatException($"'{name}' is not a report stream name (report#<id>#<yyyy-MM-dd>).");
        }

        return new StreamId(ReportId.Parse(parts[1]), ReportDate.Parse(parts[2]));
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
