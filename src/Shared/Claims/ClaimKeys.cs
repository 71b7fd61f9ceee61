using CostNotifier.Domain;
using CostNotifier.EventStore;

namespace CostNotifier.Claims;

/// <summary>
/// The keys the handlers claim. These strings are stored (DynamoDB <c>pk = lease#&lt;key&gt;</c>, SQLite
/// <c>leases.key</c>), so their format must not change while old claims may still be live.
/// </summary>
public static class ClaimKeys
{
    /// <summary>Collecting a report-day: <c>collect#&lt;stream&gt;</c>.</summary>
    public static string Collect(StreamId stream) => $"collect#{stream}";

    /// <summary>Sending one request's email to one recipient: <c>notify#&lt;stream&gt;#&lt;request&gt;#&lt;recipient&gt;</c>.</summary>
    public static string Notify(StreamId stream, RequestId requestId, string recipient) => $"{NotifyRequest(stream, requestId)}#{recipient}";

    /// <summary>All of one request's send claims on a report-day: <c>notify#&lt;stream&gt;#&lt;request&gt;</c>.</summary>
    public static string NotifyRequest(StreamId stream, RequestId requestId) => $"notify#{stream}#{requestId}";
}
