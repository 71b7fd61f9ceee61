using System.Text.Json;
using CostNotifier.Messaging;

namespace CostNotifier.Observability;

/// <summary>
/// Writes pipeline metrics as CloudWatch Embedded Metric Format log lines: CloudWatch Logs turns each line into
/// metrics with no SDK call. Namespace <c>CostNotifier</c>, dimension <c>Stack</c>.
/// </summary>
public sealed class PipelineMetrics(TextWriter output, string stack, TimeProvider time)
{
    /// <summary>The CloudWatch namespace of every metric.</summary>
    public const string Namespace = "CostNotifier";

    /// <summary>A sink that writes nothing, for the embedded default and tests.</summary>
    public static PipelineMetrics None { get; } = new(TextWriter.Null, "none", TimeProvider.System);

    /// <summary>One report email accepted by the provider.</summary>
    public void ReportSent(string reportId) => Write("ReportsSent", 1, "Count", reportId: null, extra: ("ReportId", reportId));

    /// <summary>
    /// How many report periods a scheduled run found due (every day of a daily report; a week or month of a digest
    /// that just ended), 0 included: the "no report sent" alarm counts a run with nothing due as a sign of life, so
    /// digest-only stacks do not alarm on the days between digests.
    /// </summary>
    public void ReportsDue(int count) => Write("ReportsDue", count, "Count");

    /// <summary>
    /// The email provider reported a report email bounced for one recipient (written once per bounce recorded, not
    /// per redelivery of the provider's event). The bounce alarm watches <c>NotificationsBounced</c>.
    /// </summary>
    public void NotificationBounced() => Write("NotificationsBounced", 1, "Count");

    /// <summary>
    /// A recipient marked a report email as spam (written once per complaint recorded). The complaint alarm watches
    /// <c>NotificationsComplained</c>.
    /// </summary>
    public void NotificationComplained() => Write("NotificationsComplained", 1, "Count");

    /// <summary>A snapshot was collected or revised.</summary>
    public void SnapshotCollected() => Write("SnapshotsCollected", 1, "Count");

    /// <summary>Billable Cost Explorer requests made.</summary>
    public void CostExplorerRequests(int count) => Write("CostExplorerRequests", count, "Count");

    /// <summary>A message was moved to a dead-letter queue.</summary>
    public void MessageDeadLettered(PipelineQueue queue) =>
        Write("MessagesDeadLettered", 1, "Count", reportId: null, extra: ("Queue", queue.ToString().ToLowerInvariant()));

    /// <summary>The day's total cost of a report, in its currency.</summary>
    public void DailyCostTotal(string reportId, decimal total) => Write("DailyCostTotal", total, "None", reportId);

    private void Write(string name, decimal value, string unit, string? reportId = null, (string Key, string Value)? extra = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", time.GetUtcNow().ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", Namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("Stack");
            if (reportId is not null)
            {
                json.WriteStringValue("ReportId");
            }

            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            json.WriteStartObject();
            json.WriteString("Name", name);
            json.WriteString("Unit", unit);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("Stack", stack);
            if (reportId is not null)
            {
                json.WriteString("ReportId", reportId);
            }

            // Extra properties are searchable in Logs Insights without becoming metric dimensions.
            if (extra is { } property)
            {
                json.WriteString(property.Key, property.Value);
            }

            json.WriteNumber(name, value);
            json.WriteEndObject();
        }

        var line = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        lock (output)
        {
            output.WriteLine(line);
        }
    }
}
