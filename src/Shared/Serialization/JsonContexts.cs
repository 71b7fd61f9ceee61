using System.Text.Json.Serialization;
using CostNotifier.Hosting;
using CostNotifier.Messaging;

namespace CostNotifier.Serialization;

/// <summary>Source-generated JSON for queue messages.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(MessageEnvelope))]
[JsonSerializable(typeof(ReportRequested))]
[JsonSerializable(typeof(CostSnapshotReady))]
public sealed partial class MessageJsonContext : JsonSerializerContext;

/// <summary>Source-generated JSON for what Lambda hands the functions and takes back.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
public sealed partial class LambdaJsonContext : JsonSerializerContext;
