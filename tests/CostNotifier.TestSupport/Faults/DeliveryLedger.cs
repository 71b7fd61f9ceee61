using System.Globalization;

namespace CostNotifier.Testing.Faults;

/// <summary>One email of one request to one recipient: the unit the pipeline promises to send exactly once.</summary>
public sealed record EmailKey(string ReportId, string Date, string RequestId, string Recipient)
{
    /// <inheritdoc />
    public override string ToString() => $"{ReportId} {Date} {RequestId} → {Recipient}";
}

/// <summary>A second email explained by the documented window: accepted by the provider, never recorded.</summary>
/// <param name="Key">The email.</param>
/// <param name="Cause">How the first sender left the window: <c>crash</c>, <c>provider answer lost</c> or <c>record failed</c>.</param>
/// <param name="Detail">The faults injected into the first sender after the provider accepted its email.</param>
public sealed record WindowDuplicate(EmailKey Key, string Cause, string Detail);

/// <summary>
/// Watches the two facts that matter for "exactly once" — an email accepted by the provider and its
/// <c>NotificationSent</c> stored — and classifies every second email of the same key. The one documented window:
/// the provider accepted the email, the worker left (died, or failed) before the record was written, the claim
/// expired and a retry sent it again. Every duplicate must come from such a window opened by an injected fault;
/// anything else is a violation. Thread-safe.
/// </summary>
public sealed class DeliveryLedger
{
    private readonly object _gate = new();
    private readonly Dictionary<EmailKey, KeyState> _keys = [];
    private readonly List<WindowDuplicate> _windowDuplicates = [];
    private readonly List<string> _violations = [];

    /// <summary>Emails the provider accepted, by key.</summary>
    public IReadOnlyDictionary<EmailKey, int> Sends
    {
        get
        {
            lock (_gate)
            {
                return _keys.Where(k => k.Value.Sends > 0).ToDictionary(k => k.Key, k => k.Value.Sends);
            }
        }
    }

    /// <summary><c>NotificationSent</c> events stored, by key.</summary>
    public IReadOnlyDictionary<EmailKey, int> Records
    {
        get
        {
            lock (_gate)
            {
                return _keys.Where(k => k.Value.Records > 0).ToDictionary(k => k.Key, k => k.Value.Records);
            }
        }
    }

    /// <summary>Second emails explained by the documented window.</summary>
    public IReadOnlyList<WindowDuplicate> WindowDuplicates
    {
        get
        {
            lock (_gate)
            {
                return [.. _windowDuplicates];
            }
        }
    }

    /// <summary>Everything that broke the promise: unexplained duplicates, duplicate records, unexplained gaps.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>Emails sent more than once, counting each extra email.</summary>
    public int DuplicateEmails
    {
        get
        {
            lock (_gate)
            {
                return _keys.Values.Sum(k => Math.Max(0, k.Sends - 1));
            }
        }
    }

    /// <summary>The provider accepted <paramref name="key"/> from <paramref name="worker"/>.</summary>
    public void EmailAccepted(WorkerContext worker, EmailKey key)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            var state = State(key);
            state.Sends++;
            if (state.Records > 0)
            {
                _violations.Add($"{key} was sent again by {worker} after its NotificationSent was stored");
            }
            else if (state.Pending is { } pending)
            {
                if (pending.Abandoned)
                {
                    _windowDuplicates.Add(new WindowDuplicate(key, pending.Cause!, pending.Detail!));
                }
                else
                {
                    _violations.Add($"{key} was sent by {worker} while {pending.Worker} was still between sending and recording it");
                }
            }

            state.Pending = new Pending(worker, worker.FaultCount);
        }
    }

    /// <summary>A <c>NotificationSent</c> for <paramref name="key"/> was stored.</summary>
    public void NotificationRecorded(WorkerContext? worker, EmailKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            var state = State(key);
            state.Records++;
            if (state.Records > 1)
            {
                _violations.Add($"{key} has {state.Records} NotificationSent events (the last stored by {worker?.Name ?? "?"})");
            }

            if (state.Sends == 0)
            {
                _violations.Add($"{key} was recorded as sent but the provider never accepted it");
            }

            state.Pending = null;
        }
    }

    /// <summary>
    /// <paramref name="worker"/>'s invocation is over. An email it got accepted but did not record is now in the
    /// window: a retry after its claim expires will send it again.
    /// </summary>
    public void InvocationEnded(WorkerContext worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        lock (_gate)
        {
            foreach (var (key, state) in _keys)
            {
                if (state.Pending is not { Abandoned: false } pending || !ReferenceEquals(pending.Worker, worker))
                {
                    continue;
                }

                var faults = worker.FaultsSince(pending.FaultsBefore);
                var detail = faults.Count == 0
                    ? "none"
                    : string.Join(", ", faults.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Kind} at {f.Seam}")));
                pending.Abandoned = true;
                pending.Detail = detail;
                pending.Cause = worker.IsDead
                    ? "crash"
                    : faults.Any(f => f is { Seam: Seam.EmailSend, Kind: FaultKind.AmbiguousTimeout })
                        ? "provider answer lost"
                        : faults.Count > 0 ? "record failed" : null;
                if (pending.Cause is null)
                {
                    pending.Cause = "no fault";
                    _violations.Add($"{key}: {worker} left without recording an accepted email although no fault was injected after the send");
                }
            }
        }
    }

    private KeyState State(EmailKey key)
    {
        if (!_keys.TryGetValue(key, out var state))
        {
            state = new KeyState();
            _keys[key] = state;
        }

        return state;
    }

    private sealed class KeyState
    {
        public int Sends { get; set; }

        public int Records { get; set; }

        public Pending? Pending { get; set; }
    }

    private sealed class Pending(WorkerContext worker, int faultsBefore)
    {
        public WorkerContext Worker { get; } = worker;

        public int FaultsBefore { get; } = faultsBefore;

        public bool Abandoned { get; set; }

        public string? Cause { get; set; }

        public string? Detail { get; set; }
    }
}
