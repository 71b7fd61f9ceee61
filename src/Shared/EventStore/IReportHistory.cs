using CostNotifier.Domain;

namespace CostNotifier.EventStore;

/// <summary>
/// The read side of the event store: queries across the report-day streams of a report, for operators (the CLI)
/// rather than the functions. Both stores implement it beside <see cref="IEventStore"/>.
/// </summary>
public interface IReportHistory
{
    /// <summary>
    /// Reads the events of every stream of <paramref name="report"/> whose period is one of <paramref name="periods"/>,
    /// ordered by period then version, through an index (never a scan). Streams of another cadence (a report whose
    /// cadence changed keeps its old streams) are not included.
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> ReadReportAsync(ReportId report, PeriodRange periods, CancellationToken cancellationToken);
}
