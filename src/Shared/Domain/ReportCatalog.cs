namespace CostNotifier.Domain;

/// <summary>The configured reports, looked up by id.</summary>
public sealed class ReportCatalog
{
    private readonly Dictionary<ReportId, ReportDefinition> _byId;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ReportId, ReportDefinition> _accountShares = new();

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

    /// <summary>Every configured report in configuration order (account shares of per-account reports are not listed).</summary>
    public IReadOnlyList<ReportDefinition> Reports { get; }

    /// <summary>
    /// Finds a report by id — a configured one, or one account's share of a configured per-account report — or
    /// throws <see cref="UnknownReportException"/>.
    /// </summary>
    public ReportDefinition Get(ReportId id) =>
        TryGet(id, out var report) ? report : throw new UnknownReportException(id, _byId.Keys);

    /// <summary>Whether the id names a configured report or an account share of a per-account one.</summary>
    public bool Contains(ReportId id) => TryGet(id, out _);

    /// <summary>The report with <paramref name="id"/>, if configured (or an account share of a per-account report).</summary>
    public bool TryGet(ReportId id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReportDefinition? report)
    {
        if (id.Account is not { } account)
        {
            return _byId.TryGetValue(id, out report);
        }

        if (_byId.TryGetValue(id.Configured, out var parent) && parent.PerAccount is not null)
        {
            report = _accountShares.GetOrAdd(id, static (_, state) => state.Parent.ForAccount(state.Account), (Parent: parent, Account: account));
            return true;
        }

        report = null;
        return false;
    }
}

/// <summary>Thrown when a message or command names a report that is not configured.</summary>
public sealed class UnknownReportException(ReportId id, IEnumerable<ReportId> known)
    : Exception($"Unknown report '{id}'. Configured reports: {string.Join(", ", known.Select(k => k.Value).Order(StringComparer.Ordinal))}.")
{
    /// <summary>The id that was asked for.</summary>
    public ReportId ReportId { get; } = id;
}
