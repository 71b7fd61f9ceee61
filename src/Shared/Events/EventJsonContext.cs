using System.Text.Json.Serialization;

namespace CostNotifier.Events;

/// <summary>
/// Source-generated JSON for stored events. The generator follows the derived types declared on
/// <see cref="ReportPeriodEvent"/>, so a new event needs no entry here; the old forms <see cref="EventUpcasters"/> reads do.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ReportPeriodEvent))]
[JsonSerializable(typeof(CostSnapshotV1))]
internal sealed partial class EventJsonContext : JsonSerializerContext;
