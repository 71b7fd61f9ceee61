using System.Collections.Concurrent;
using System.Globalization;
using CostNotifier.CostData;

namespace CostNotifier.Testing.Faults;

/// <summary>
/// How often each fault is injected, in calls per thousand at every seam. <see cref="EmailCrashPerMille"/> adds
/// crashes right after the email provider accepted an email, the one window that can duplicate an email, so the
/// properties visit it often enough to count it.
/// </summary>
public sealed record FaultRates(
    int TransientPerMille,
    int ThrottlingPerMille,
    int TimeoutPerMille,
    int AmbiguousTimeoutPerMille,
    int CrashPerMille,
    int EmailCrashPerMille = 0)
{
    /// <summary>No faults at all.</summary>
    public static FaultRates None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Faults this rate set never injects, as (seam, kind) pairs.</summary>
    public IReadOnlySet<(Seam Seam, FaultKind Kind)> Excluded { get; init; } = new HashSet<(Seam, FaultKind)>();

    /// <summary>Draws the fault for one call from one roll of <paramref name="random"/>.</summary>
    public FaultKind? Draw(Seam seam, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var roll = random.Next(1000);
        var kind = Pick(seam, roll);
        return kind is { } k && Excluded.Contains((seam, k)) ? null : kind;
    }

    private FaultKind? Pick(Seam seam, int roll)
    {
        var bound = 0;
        foreach (var (kind, perMille) in new[]
        {
            (FaultKind.Transient, TransientPerMille),
            (FaultKind.Throttling, ThrottlingPerMille),
            (FaultKind.Timeout, TimeoutPerMille),
            (FaultKind.AmbiguousTimeout, AmbiguousTimeoutPerMille),
            (FaultKind.Crash, CrashPerMille + (seam == Seam.EmailSend ? EmailCrashPerMille : 0)),
        })
        {
            bound += perMille;
            if (roll < bound)
            {
                return kind;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"transient {TransientPerMille}‰, throttling {ThrottlingPerMille}‰, timeout {TimeoutPerMille}‰, ambiguous timeout {AmbiguousTimeoutPerMille}‰, crash {CrashPerMille}‰ (+{EmailCrashPerMille}‰ right after an email is accepted)");
}

/// <summary>Counts of injected faults by kind and seam; thread-safe.</summary>
public sealed class FaultTally
{
    private readonly ConcurrentDictionary<(Seam Seam, FaultKind Kind), long> _counts = new();

    /// <summary>Every (seam, kind) pair injected at least once, with its count.</summary>
    public IReadOnlyDictionary<(Seam Seam, FaultKind Kind), long> Counts => _counts;

    /// <summary>Injected faults of <paramref name="kind"/> at any seam.</summary>
    public long Of(FaultKind kind) => _counts.Where(c => c.Key.Kind == kind).Sum(c => c.Value);

    /// <summary>Every injected fault.</summary>
    public long Total => _counts.Values.Sum();

    /// <summary>Counts one fault.</summary>
    public void Count(Seam seam, FaultKind kind) => _counts.AddOrUpdate((seam, kind), 1, (_, n) => n + 1);

    /// <summary>Adds another tally into this one.</summary>
    public void Add(FaultTally other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var ((seam, kind), count) in other.Counts)
        {
            _counts.AddOrUpdate((seam, kind), count, (_, n) => n + count);
        }
    }

    /// <summary>"crash 12 (EmailSend 7, StoreAppend 5); timeout 3 (…)".</summary>
    public string Describe() =>
        _counts.Count == 0
            ? "none"
            : string.Join("; ", Enum.GetValues<FaultKind>()
                .Where(k => Of(k) > 0)
                .Select(k => string.Create(CultureInfo.InvariantCulture, $"{k} {Of(k)} (") +
                    string.Join(", ", _counts.Where(c => c.Key.Kind == k).OrderBy(c => c.Key.Seam).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key.Seam} {c.Value}"))) + ")"));
}

/// <summary>
/// The fault decisions of one generated schedule: a seeded random source drawn once per call, in call order, so a
/// schedule run under an <see cref="Interleaver"/> replays exactly from its seed; plus the ledger of what the
/// pipeline did and the tally of what was injected.
/// </summary>
public sealed class FaultSession
{
    private readonly Random _random;
    private readonly object _gate = new();

    public FaultSession(int seed, FaultRates rates, Interleaver? interleaver = null)
    {
        ArgumentNullException.ThrowIfNull(rates);
        _random = new Random(seed);
        Rates = rates;
        Interleaver = interleaver;
    }

    /// <summary>The rates in force; set <see cref="FaultRates.None"/> to let the system settle.</summary>
    public FaultRates Rates { get; set; }

    /// <summary>
    /// A scripted fault for a call, consulted before the rates: (worker, seam, operation) → the fault, or null to
    /// let the rates decide. Focused tests use it to crash exactly where they mean to.
    /// </summary>
    public Func<WorkerContext, Seam, string, FaultKind?>? Plan { get; set; }

    /// <summary>
    /// How an injected timeout surfaces: true for <see cref="OperationCanceledException"/> (HttpClient's
    /// <see cref="TaskCanceledException"/>, what the AWS SDK throws), false for <see cref="TimeoutException"/>,
    /// null to pick one at random per fault.
    /// </summary>
    public bool? TimeoutsAsCancellation { get; set; }

    /// <summary>Whatever the host of the session needs to find from a seam (the SDK tier keeps its queue URLs here).</summary>
    public object? Tag { get; init; }

    /// <summary>The exception an injected fault throws, when the seam's own kind of error is wanted (the AWS SDK's).</summary>
    public Func<Seam, FaultKind, string, Exception>? Exceptions { get; init; }

    /// <summary>The cooperative scheduler the workers run under, or null for real concurrency.</summary>
    public Interleaver? Interleaver { get; }

    /// <summary>What was emailed and recorded, and whether every duplicate is explained.</summary>
    public DeliveryLedger Ledger { get; } = new();

    /// <summary>What was injected.</summary>
    public FaultTally Tally { get; } = new();

    /// <summary>Every injection, in order: "worker: kind at seam (operation)".</summary>
    public List<string> Trace { get; } = [];

    /// <summary>A choice for the harness (batch sizes, duplicates) from the same seeded source as the faults.</summary>
    public int Next(int maxExclusive)
    {
        lock (_gate)
        {
            return _random.Next(maxExclusive);
        }
    }

    internal async ValueTask<FaultKind?> DecideAsync(WorkerContext worker, Seam seam, string operation)
    {
        if (Interleaver is { } interleaver)
        {
            await interleaver.YieldAsync(worker).ConfigureAwait(false);
        }

        if (Plan?.Invoke(worker, seam, operation) is { } planned)
        {
            return planned;
        }

        lock (_gate)
        {
            return Rates.Draw(seam, _random);
        }
    }

    internal void Injected(WorkerContext worker, Seam seam, FaultKind kind, string operation)
    {
        Tally.Count(seam, kind);
        worker.NoteFault(seam, kind);
        lock (Trace)
        {
            Trace.Add($"{worker.Name}: {kind} at {seam} ({operation})");
        }
    }

    internal Exception ExceptionFor(Seam seam, FaultKind kind, string operation)
    {
        if (Exceptions is { } custom && (kind is not (FaultKind.Timeout or FaultKind.AmbiguousTimeout)))
        {
            return custom(seam, kind, operation);
        }

        if (seam == Seam.CostSource)
        {
            // What CostExplorerClient turns a 5xx, a throttle or a timeout into once the SDK gave up.
            return new CostSourceException($"Injected {kind} at the cost source ({operation}).", isTransient: true);
        }

        return kind switch
        {
            FaultKind.Throttling => new InjectedThrottlingException(seam, operation),
            FaultKind.Timeout or FaultKind.AmbiguousTimeout => !(TimeoutsAsCancellation ?? Next(2) == 1)
                ? new TimeoutException($"Injected timeout at {seam} ({operation}).")
                : new TaskCanceledException($"Injected timeout at {seam} ({operation}): the HTTP request was cancelled after its timeout."),
            _ => new InjectedTransientException(seam, operation),
        };
    }
}
