using System.Globalization;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.IntegrationTests.EndToEnd;
using CostNotifier.Testing.Faults;
using CsCheck;
using Xunit.Abstractions;

namespace CostNotifier.IntegrationTests.Reliability;

/// <summary>
/// The reliability property of docs/RELIABILITY.md through the real Lambda function classes on dynalite, fauxqs and
/// aws-ses-v2-local, with faults injected in the AWS SDK. Fewer schedules than the embedded run: real servers and
/// fauxqs's real visibility timeout make each one take seconds. Reproduce a failure with the seed CsCheck prints:
/// <c>COSTNOTIFIER_RELIABILITY_SEED=&lt;seed&gt; dotnet test --filter FullyQualifiedName~LambdaPipelinePropertyTests</c>.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class LambdaPipelinePropertyTests(EmulatorFixture emulators, ITestOutputHelper output)
{
    private static long Schedules =>
        long.TryParse(Environment.GetEnvironmentVariable("COSTNOTIFIER_RELIABILITY_AWS_SCHEDULES"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 50;

    private static string? Seed => Environment.GetEnvironmentVariable("COSTNOTIFIER_RELIABILITY_SEED") is { Length: > 0 } seed ? seed : null;

    [Fact]
    public async Task EveryRequestedReportDay_IsEmailedOncePerRecipient_ThroughTheLambdaFunctions_UnderSdkFaults()
    {
        var figures = new ReliabilityFigures("Lambda function classes on dynalite + fauxqs + aws-ses-v2-local, faults inside the AWS SDK");
        var table = await emulators.CreateEventTableAsync();
        await using var costExplorer = new CostExplorerStub();

        await PipelineSchedule.Generator.SampleAsync(
            async schedule =>
            {
                await using var simulation = new LambdaPipelineSimulation(emulators, table, costExplorer.Url, schedule);
                await simulation.RunAsync(CancellationToken.None);
                figures.Add(simulation.Session, simulation.Outcome, 0);
            },
            writeLine: output.WriteLine,
            seed: Seed,
            iter: Schedules,
            threads: 1,
            print: schedule => schedule.ToString());

        ReliabilityReport.Publish(output, figures.Describe());
        Assert.Equal(0, figures.UnexpectedDuplicates);
        Assert.Equal(0, figures.Lost);
        Assert.Equal(Schedules, figures.Schedules);
    }
}
