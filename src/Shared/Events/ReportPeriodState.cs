using System.Collections.Immutable;
using System.Diagnostics;
using CostNotifier.Domain;
using CostNotifier.EventStore;

namespace CostNotifier.Events;

/// <summary>
/// What a report period stream says so far, folded from its events by pure functions.
/// </summary>
/// <param name="Version">The number of the last event folded; 0 for an empty stream.</param>
/// <param name="Snapshots">Snapshot events by their version.</param>
/// <param name="LatestSnapshotVersion">The version of the newest snapshot, 0 when none.</param>
/// <param name="Collections">For each request id that collected, the version of the snapshot it settled on.</param>
/// <param name="Sent">Emails accepted by the provider, by (request id, recipient).</param>
/// <param name="Failed">Emails refused for good, by (request id, recipient).</param>
public sealed record ReportPeriodState(
    long Version,
    ImmutableSortedDictionary<long, CostSnapshot> Snapshots,
    long LatestSnapshotVersion,
    ImmutableDictionary<string, long> Collections,
    ImmutableDictionary<(string RequestId, string Recipient), NotificationSent> Sent,
    ImmutableDictionary<(string RequestId, string Recipient), NotificationFailed> Failed)
{
    /// <summary>The state of a stream with no events.</summary>
    public static ReportPeriodState Empty { get; } = new(
        0,
        ImmutableSortedDictionary<long, CostSnapshot>.Empty,
        0,
        ImmutableDictionary<string, long>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<(string, string), NotificationSent>.Empty,
        ImmutableDictionary<(string, string), NotificationFailed>.Empty);

    /// <summary>Emails the provider reported accepting (its Send events), by (request id, recipient).</summary>
    public ImmutableDictionary<(string RequestId, string Recipient), NotificationAccepted> Accepted { get; init; } =
        ImmutableDictionary<(string, string), NotificationAccepted>.Empty;

    /// <summary>Every delivery report recorded, in stream order.</summary>
    public ImmutableList<DeliveryReport> DeliveryReports { get; init; } = [];

    /// <summary>The newest snapshot, or null before the first collection.</summary>
    public CostSnapshot? LatestSnapshot => LatestSnapshotVersion == 0 ? null : Snapshots[LatestSnapshotVersion];

    /// <summary>The expected version for the next append.</summary>
    public ExpectedVersion ExpectedVersion => ExpectedVersion.At(Version);

    /// <summary>Folds stored events, in order, into a state.</summary>
    public static ReportPeriodState Fold(IEnumerable<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var state = Empty;
        foreach (var stored in events)
        {
            state = state.Apply(stored.Version, EventTypes.Deserialize(stored));
        }

        return state;
    }

    /// <summary>The state after event number <paramref name="version"/>.</summary>
    public ReportPeriodState Apply(long version, ReportPeriodEvent @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        if (version != Version + 1)
        {
            throw new InvalidOperationException($"Event version {version} does not follow {Version}: the stream has a gap or a duplicate.");
        }

        var next = this with { Version = version };
        return @event switch
        {
            CostSnapshot snapshot => next with
            {
                Snapshots = Snapshots.Add(version, snapshot),
                LatestSnapshotVersion = version,
                Collections = Collections.SetItem(snapshot.RequestId, version),
            },
            CostSnapshotConfirmed confirmed => next with
            {
                Collections = Collections.SetItem(confirmed.RequestId, confirmed.SnapshotVersion),
            },
            NotificationSent sent => next with
            {
                Sent = Sent.SetItem((sent.RequestId, sent.Recipient), sent),
            },
            NotificationFailed failed => next with
            {
                Failed = Failed.SetItem((failed.RequestId, failed.Recipient), failed),
            },
            NotificationAccepted accepted => next with
            {
                Accepted = Accepted.SetItem((accepted.RequestId, accepted.Recipient), accepted),
                DeliveryReports = DeliveryReports.Add(accepted),
            },
            DeliveryReport report => next with
            {
                DeliveryReports = DeliveryReports.Add(report),
            },
            _ => throw new UnreachableException($"{@event.GetType().Name} has no fold in {nameof(ReportPeriodState)}.{nameof(Apply)}."),
        };
    }

    /// <summary>Whether request <paramref name="requestId"/> already collected, and which snapshot it settled on.</summary>
    public bool TryGetCollection(RequestId requestId, out long snapshotVersion) =>
        Collections.TryGetValue(requestId.Value, out snapshotVersion);

    /// <summary>Whether the email for <paramref name="requestId"/> already went to <paramref name="recipient"/>.</summary>
    public bool WasSent(RequestId requestId, string recipient) => Sent.ContainsKey((requestId.Value, recipient));

    /// <summary>
    /// The provider's own report that it accepted the email for <paramref name="requestId"/> to
    /// <paramref name="recipient"/>, or null: set when the sender's <see cref="NotificationSent"/> may be missing.
    /// </summary>
    public NotificationAccepted? AcceptedBy(RequestId requestId, string recipient) =>
        Accepted.TryGetValue((requestId.Value, recipient), out var accepted) ? accepted : null;

    /// <summary>Whether this exact delivery report is already on the stream (the provider and SQS deliver at least once).</summary>
    public bool HasDeliveryReport(DeliveryReport report) => DeliveryReports.Contains(report);
}
