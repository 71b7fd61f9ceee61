using System.Text.Json;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CostNotifier.Scheduler;

/// <summary>
/// The scheduler Lambda: reads the invocation, sends <see cref="ScheduleReports"/>, answers with what was enqueued.
/// <see cref="Program"/> runs it under the Runtime API loop.
/// </summary>
public sealed class SchedulerFunction
{
    private readonly IServiceProvider _services;

    /// <summary>Builds the container once per instance from the environment.</summary>
    public SchedulerFunction()
        : this(SchedulerComposition.FromEnvironment()) { }

    /// <summary>Creates the function over a ready container (tests, the CLI).</summary>
    public SchedulerFunction(IServiceProvider services) => _services = services;

    /// <summary>Handles one invocation; <paramref name="cancellationToken"/> fires shortly before its deadline.</summary>
    public async Task<Stream> HandleAsync(Stream input, CancellationToken cancellationToken)
    {
        var time = _services.GetRequiredService<TimeProvider>();
        var logger = _services.GetRequiredService<ILogger<SchedulerFunction>>();
        SchedulerInvocation invocation;
        try
        {
            invocation = await JsonSerializer.DeserializeAsync(input, SchedulerJsonContext.Default.SchedulerInvocation, cancellationToken).ConfigureAwait(false)
                ?? new SchedulerInvocation();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The scheduler payload is not valid JSON: {ex.Message}", ex);
        }

        var correlationId = Guid.NewGuid().ToString("N");
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["correlationId"] = correlationId });
        var result = await _services.GetRequiredService<ISender>()
            .Send(invocation.ToCommand(time, correlationId), cancellationToken)
            .ConfigureAwait(false);

        var response = new SchedulerResponse
        {
            RequestId = result.RequestId.Value,
            Messages = result.Messages
                .Select(m => new SchedulerResponseMessage { ReportId = m.Report.Value, Period = m.Period.ToString(), MessageId = m.QueueMessageId })
                .ToList(),
        };
        var output = new MemoryStream();
        await JsonSerializer.SerializeAsync(output, response, SchedulerJsonContext.Default.SchedulerResponse, CancellationToken.None).ConfigureAwait(false);
        output.Position = 0;
        return output;
    }
}
