using System.Globalization;
using CostNotifier.Testing.Faults;
using CsCheck;
using Xunit.Abstractions;

namespace CostNotifier.UnitTests.Reliability;

/// <summary>
/// The promise of docs/RELIABILITY.md as a property over generated schedules of deliveries, duplicates, crashes and
/// faults on the embedded pipeline. Reproduce a failure with the seed CsCheck prints:
/// <c>COSTNOTIFIER_RELIABILITY_SEED=&lt;seed&gt; dotnet test --filter FullyQualifiedName~PipelinePropertyTests</c>.
/// </summary>
public sealed class PipelinePropertyTests(ITestOutputHelper output)
{
    /// <summary>Schedules per run; <c>COSTNOTIFIER_RELIABILITY_SCHEDULES</c> raises it for a soak.</summary>
    private static long Schedules =>
        long.TryParse(Environment.GetEnvironmentVariable("COSTNOTIFIER_RELIABILITY_SCHEDULES"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1_000;

    private static string? Seed => Environment.GetEnvironmentVariable("COSTNOTIFIER_RELIABILITY_SEED") is { Length: > 0 } seed ? seed : null;

    [Fact]
    public void EveryRequestedReportDay_IsEmailedOncePerRecipient_AndNothingIsLost_UnderGeneratedFaultSchedules()
    {
        var figures = new ReliabilityFigures("embedded pipeline (SQLite store, claims and queues)");

        PipelineSchedule.Generator.Sample(
            schedule =>
            {
                using var simulation = new EmbeddedPipelineSimulation(schedule);
                var steps = Task.Run(() => simulation.RunAsync(CancellationToken.None)).GetAwaiter().GetResult();
                figures.Add(simulation.Session, simulation.Outcome, steps);
            },
            writeLine: output.WriteLine,
            seed: Seed,
            iter: Schedules,
            print: schedule => schedule.ToString());

        ReliabilityReport.Publish(output, figures.Describe());
        Assert.Equal(0, figures.UnexpectedDuplicates);
        Assert.Equal(0, figures.Lost);
        Assert.Equal(Schedules, figures.Schedules);
    }
}
