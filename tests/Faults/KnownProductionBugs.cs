using CostNotifier.Events;

namespace CostNotifier.Testing.Faults;

/// <summary>
/// Faults that expose production bugs already reported (see docs/RELIABILITY.md, "Open defects") and not fixed
/// yet. The default run does not inject them, so it stays green; run with
/// <c>COSTNOTIFIER_RELIABILITY_KNOWN_BUGS=include</c> to inject them and watch the properties fail until the fix lands.
/// </summary>
public static class KnownProductionBugs
{
    /// <summary>Whether the known-bug faults are injected in this run.</summary>
    public static bool Included =>
        string.Equals(Environment.GetEnvironmentVariable("COSTNOTIFIER_RELIABILITY_KNOWN_BUGS"), "include", StringComparison.OrdinalIgnoreCase);

    /// <summary>The suppression for <see cref="FaultSession.Suppress"/>: null when the known bugs are included.</summary>
    public static Func<Seam, FaultKind, string, bool>? Suppression => Included ? null : Suppress;

    private static bool Suppress(Seam seam, FaultKind kind, string operation) =>
        // Defect 1: SendReportEmailHandler.RecordAsync retries an append that took effect but answered an error
        // (a lost response; DynamoDB's own retry then fails its condition) after re-reading the stream, without
        // looking for its own event there, and stores a second NotificationSent for the same email.
        seam == Seam.StoreAppend
        && kind == FaultKind.AmbiguousTimeout
        && (operation.Contains(EventTypes.NotificationSent, StringComparison.Ordinal) || operation.Contains(EventTypes.NotificationFailed, StringComparison.Ordinal));
}
