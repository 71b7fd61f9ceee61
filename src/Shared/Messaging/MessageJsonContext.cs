using System.Text.Json.Serialization;

namespace CostNotifier.Messaging;

/// <summary>Source-generated JSON for queue messages.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(MessageEnvelope))]
[JsonSerializable(typeof(ReportRequested))]
[JsonSerializable(typeof(ReportsRequested))]
[JsonSerializable(typeof(CostSnapshotReady))]
[JsonSerializable(typeof(ReportRequestedV1))]
[JsonSerializable(typeof(CostSnapshotReadyV1))]
internal sealed partial class MessageJsonContext : JsonSerializerContext;
