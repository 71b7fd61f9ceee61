using Xunit.Abstractions;

namespace CostNotifier.Testing.Faults;

/// <summary>Where the figures of a reliability run go: the test log and a file beside the test assembly.</summary>
public static class ReliabilityReport
{
    public static void Publish(ITestOutputHelper output, string figures)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(figures);
        Console.WriteLine(figures);
        File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "reliability-figures.txt"), $"{DateTimeOffset.UtcNow:O}{Environment.NewLine}{figures}{Environment.NewLine}");
    }
}
