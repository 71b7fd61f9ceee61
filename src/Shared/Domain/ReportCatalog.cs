namespace CostNotifier.Domain;

/// <summary>The configured reports, looked up by id.</summary>
public sealed class ReportCatalog
{
    private readonly Dictionary<ReportId, ReportDefinition> _byId;

    /// <summary>Creates a catalog; ids must be unique.</summary>
    public ReportCatalog(IEnumerable<ReportDefinition> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        Reports = reports.ToList();
        _byId = new Dictionary<ReportId, ReportDefinition>();
        foreach (var report in Reports)
        {
            if (!_byId.TryAdd(report.Id, report))
            {
                throw new ArgumentException($"Report id '{report.Id}' is configured twice.", nameof(reports));
            }
        }
    }

    /// <summary>Every report in configuration order.</summary>
    public IReadOnlyList<ReportDefinition> Reports { get; }

    /// <summary>Finds a report by id or throws <see cref="UnknownReportException"/>.</summary>
    public ReportDefinition Get(ReportId id) =>
        _byId.TryGetValue(id, out var report) ? report : throw new UnknownReportException(id, _byId.Keys);

    /// <summary>Whether a report with this id is configured.</summary>
    public bool Contains(ReportId id) => _byId.ContainsKey(id);

    /// <summary>The report with <paramref name="id"/>, if configured.</summary>
    public bool TryGet(ReportId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReportDefinition? report) =>
        _byId.TryGetValue(id, out report);
}

/// <summary>Thrown when a message or command names a report that is not configured.</summary>
public sealed class UnknownReportException(ReportId id, IEnumerable<ReportId> known)
    : Exception($"Unknown report '{id}'. Configured reports: {string.Join(", ", known.Select(k => k.Value).Order(StringComparer.Ordinal))}.")
{
    /// <summary>The id that was asked for.</summary>
    public ReportId ReportId { get; } = id;
}
