using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CostNotifier.Testing.Faults;

/// <summary>Totals over every schedule a property ran, for the test log and docs/RELIABILITY.md. Thread-safe.</summary>
public sealed partial class ReliabilityFigures(string name)
{
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, int> _windowCauses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _deadLettered = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _wholeBatch = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _recordFailed = new(StringComparer.Ordinal);

    public FaultTally Faults { get; } = new();

    public int Schedules { get; private set; }

    public long Rounds { get; private set; }

    public long Steps { get; private set; }

    public long Deliveries { get; private set; }

    public long DuplicateDeliveries { get; private set; }

    public long ConcurrentRounds { get; private set; }

    public long HeldBack { get; private set; }

    public long Emails { get; private set; }

    public long ExpectedEmails { get; private set; }

    public long DuplicateEmails { get; private set; }

    public long WindowDuplicates { get; private set; }

    public long UnexpectedDuplicates => DuplicateEmails - WindowDuplicates;

    public long Lost { get; private set; }

    public long Redriven { get; private set; }

    public long Poison { get; private set; }

    public long WholeBatchFailures { get; private set; }

    public long SchedulerRetries { get; private set; }

    public void Add(FaultSession session, SimulationOutcome outcome, long steps)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(outcome);
        var ledger = session.Ledger;
        lock (_gate)
        {
            Schedules++;
            Rounds += outcome.Rounds;
            Steps += steps;
            Deliveries += outcome.Deliveries;
            DuplicateDeliveries += outcome.DuplicateDeliveries;
            ConcurrentRounds += outcome.ConcurrentRounds;
            HeldBack += outcome.HeldBack;
            Emails += outcome.Emails;
            ExpectedEmails += outcome.ExpectedEmails;
            DuplicateEmails += ledger.DuplicateEmails;
            WindowDuplicates += ledger.WindowDuplicates.Count;
            Lost += outcome.Lost.Count;
            Redriven += outcome.Redriven;
            Poison += outcome.PoisonMessages;
            WholeBatchFailures += outcome.WholeBatchFailures.Count;
            SchedulerRetries += outcome.SchedulerRetries;
            Faults.Add(session.Tally);
            foreach (var duplicate in ledger.WindowDuplicates)
            {
                _windowCauses[duplicate.Cause] = _windowCauses.GetValueOrDefault(duplicate.Cause) + 1;
                if (duplicate.Cause == "record failed")
                {
                    _recordFailed[duplicate.Detail] = _recordFailed.GetValueOrDefault(duplicate.Detail) + 1;
                }
            }

            foreach (var failure in outcome.WholeBatchFailures)
            {
                var kind = Identifiers().Replace(failure[(failure.IndexOf(':', StringComparison.Ordinal) + 2)..], "<id>");
                _wholeBatch[kind] = _wholeBatch.GetValueOrDefault(kind) + 1;
            }

            foreach (var reason in outcome.DeadLetteredInPhase1)
            {
                var kind = reason.StartsWith("Email rejected", StringComparison.Ordinal) ? "email rejected (bouncing recipient)"
                    : reason == CostNotifier.Embedded.Queues.LocalQueueStore.MaxReceiveCountReason ? "exceeded maxReceiveCount (faults on every receive)"
                    : reason;
                _deadLettered[kind] = _deadLettered.GetValueOrDefault(kind) + 1;
            }
        }
    }

    public string Describe()
    {
        lock (_gate)
        {
            var text = new StringBuilder();
            void Line(string line) => text.AppendLine(line);
            Line(string.Create(CultureInfo.InvariantCulture, $"== reliability figures: {name} =="));
            Line(string.Create(CultureInfo.InvariantCulture, $"schedules run: {Schedules} in {_clock.Elapsed.TotalSeconds:0.0} s ({Rounds} delivery rounds{(Steps > 0 ? $", {Steps} interleaved external calls" : string.Empty)})"));
            Line(string.Create(CultureInfo.InvariantCulture, $"deliveries: {Deliveries} (duplicated {DuplicateDeliveries}, held back and redelivered {HeldBack}, rounds with two workers at once {ConcurrentRounds})"));
            Line(string.Create(CultureInfo.InvariantCulture, $"faults injected: {Faults.Total}: {Faults.Describe()}"));
            Line(string.Create(CultureInfo.InvariantCulture, $"emails: {Emails} sent for {ExpectedEmails} (report, date, request, recipient) keys"));
            Line(string.Create(CultureInfo.InvariantCulture, $"emails duplicated: {DuplicateEmails}; in the documented window: {WindowDuplicates} ({string.Join(", ", _windowCauses.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))}); outside it: {UnexpectedDuplicates}"));
            Line(string.Create(CultureInfo.InvariantCulture, $"reports lost: {Lost}"));
            Line(string.Create(CultureInfo.InvariantCulture, $"valid messages dead-lettered under faults, then redriven and delivered: {_deadLettered.Values.Sum()} ({string.Join(", ", _deadLettered.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} {c.Value}"))}); messages redriven: {Redriven}"));
            Line(string.Create(CultureInfo.InvariantCulture, $"poison messages: {Poison}, all in their DLQ with their own reason"));
            Line(string.Create(CultureInfo.InvariantCulture, $"window duplicates after a failed record, by the faults that followed the send: {string.Join("; ", _recordFailed.OrderByDescending(c => c.Value).Take(5).Select(c => $"[{c.Key}] {c.Value}"))}{(_recordFailed.Count > 5 ? $"; {_recordFailed.OrderByDescending(c => c.Value).Skip(5).Sum(c => c.Value)} after other combinations" : string.Empty)}"));
            Line(string.Create(CultureInfo.InvariantCulture, $"invocations that failed as a whole (Lambda retries the batch): {WholeBatchFailures} ({string.Join("; ", _wholeBatch.OrderByDescending(c => c.Value).Select(c => $"{c.Key} ×{c.Value}"))}); scheduler invocations retried: {SchedulerRetries}"));
            return text.ToString();
        }
    }

    [GeneratedRegex("[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|https?://\\S+", RegexOptions.IgnoreCase)]
    private static partial Regex Identifiers();
}
