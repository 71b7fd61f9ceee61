using CostNotifier.Domain;

namespace CostNotifier.EventStore;

/// <summary>
/// The read side of the event store: queries across the report-day streams of a report, for operators (the CLI)
/// rather than the functions. Both stores implement it beside <see cref="IEventStore"/>.
/// </summary>
public interface IReportHistory
{
    /// <summary>
    /// Reads the events of every stream of <paramref name="report"/> whose date lies in <paramref name="dates"/>,
    /// ordered by date then version, through an index (never a scan).
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> ReadReportAsync(ReportId report, DateRange dates, CancellationToken cancellationToken);
}
