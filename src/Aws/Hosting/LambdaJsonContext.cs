using System.Text.Json.Serialization;
using CostNotifier.BatchProcessing;

namespace CostNotifier.Aws.Hosting;

/// <summary>
/// Source-generated JSON for what Lambda hands the SQS-triggered functions and takes back. Only the Lambda
/// boundary (<see cref="LambdaSqsHandler"/>) reads and writes this form; the embedded host passes the same
/// types in memory.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SqsEvent))]
[JsonSerializable(typeof(SqsBatchResponse))]
internal sealed partial class LambdaJsonContext : JsonSerializerContext;
