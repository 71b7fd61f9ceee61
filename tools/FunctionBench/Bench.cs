using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.TestSupport;

namespace CostNotifier.FunctionBench;

/// <summary>
/// Measures the cold start of each packaged function: for every run, function and package variant, a fresh process
/// loads the function from its extracted zip, builds its container, answers one invocation against the emulators
/// and then a second (warm) one. Prints medians and compares them with the targets.
/// </summary>
internal static class Bench
{
    private const string Usage = """
        usage: CostNotifier.FunctionBench [options]
          --variant NAME=DIR   a package variant: DIR holds scheduler.zip, collector.zip, notifier.zip (repeatable;
                               the first is the deployed one, held to the cold-start target)
          --emulators DIR      the installed emulators (tools/emulators)
          --runs N             measured runs per function and variant (5)
          --warmup N           runs first made and discarded, to settle disk cache and emulators (1)
          --functions LIST     comma-separated subset of scheduler,collector,notifier
          --env NAME=VALUE     extra environment for the measured processes, e.g. DOTNET_TieredPGO=0 (repeatable)
          --markdown FILE      also write the summary as Markdown
          --label TEXT         a line for the summary's heading, e.g. the commit measured
          --work DIR           where packages are extracted (a new temporary directory, removed afterwards)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"FunctionBench: {ex.Message}{Environment.NewLine}{Usage}");
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        var ownWork = options.Work is null;
        var work = options.Work ?? Directory.CreateTempSubdirectory("costnotifier-bench-").FullName;
        try
        {
            return await MeasureAsync(options, work, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("FunctionBench: stopped.");
            return 130;
        }
        finally
        {
            if (ownWork)
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static async Task<int> MeasureAsync(BenchOptions options, string work, CancellationToken cancellationToken)
    {
        var machine = MachineDescription.Capture();
        var functions = FunctionPackage.All.Where(f => options.Functions.Count == 0 || options.Functions.Contains(f.Name)).ToList();
        var zipBytes = new Dictionary<(string Function, string Variant), long>();
        var packages = new Dictionary<(string Function, string Variant), string>();
        foreach (var (variant, directory) in options.Variants)
        {
            foreach (var function in functions)
            {
                var zip = Path.Combine(directory, function.Name + ".zip");
                if (!File.Exists(zip))
                {
                    throw new FileNotFoundException($"{zip} does not exist: run ./build.sh package first.", zip);
                }

                var extracted = Path.Combine(work, "packages", variant, function.Name);
                Directory.CreateDirectory(extracted);
                ZipFile.ExtractToDirectory(zip, extracted, overwriteFiles: true);
                zipBytes[(function.Name, variant)] = new FileInfo(zip).Length;
                packages[(function.Name, variant)] = extracted;
            }
        }

        // The host runs alone in its folder, so nothing but the package can satisfy the function's references.
        var hostDirectory = Directory.CreateDirectory(Path.Combine(work, "host")).FullName;
        var hostAssembly = Path.Combine(hostDirectory, Path.GetFileName(typeof(Bench).Assembly.Location));
        File.Copy(typeof(Bench).Assembly.Location, hostAssembly, overwrite: true);
        var dotnet = DotnetHost();

        Console.WriteLine("Starting the emulators and the Cost Explorer stub on loopback ports...");
        var installation = EmulatorInstallation.At(options.Emulators);
        await using var dynamoDb = await EmulatorProcess.StartAsync(installation, "dynamodb", "/", cancellationToken);
        await using var sqs = await EmulatorProcess.StartAsync(installation, "sqs", "/health", cancellationToken);
        await using var ses = await EmulatorProcess.StartAsync(installation, "ses", "/health-check", cancellationToken);
        await using var costExplorer = CostExplorerStub.Start();
        var credentials = new BasicAWSCredentials("bench", "bench");
        using var dynamoDbClient = AwsPipelineServices.CreateDynamoDbClient(new AwsConnection("us-east-1", EndpointUrl: dynamoDb.Url, Credentials: credentials));
        using var sqsClient = AwsPipelineServices.CreateSqsClient(new AwsConnection("us-east-1", EndpointUrl: sqs.Url, Credentials: credentials));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var servers = new BenchServers(dynamoDb, sqs, ses, costExplorer, dynamoDbClient, sqsClient, http);

        var runs = new List<MeasuredRun>();
        var failures = new List<string>();
        var variants = options.Variants.Select(v => v.Name).ToList();
        var total = options.Warmup + options.Runs;
        for (var round = 1; round <= total; round++)
        {
            var warmup = round <= options.Warmup;
            Console.WriteLine(warmup ? $"Warm-up round {round} of {options.Warmup} (discarded)" : $"Round {round - options.Warmup} of {options.Runs}");
            foreach (var function in functions)
            {
                // Alternate the order of the variants, so neither always runs right after the other's disk reads.
                var order = round % 2 == 1 ? variants : Enumerable.Reverse(variants).ToList();
                foreach (var variant in order)
                {
                    var runDirectory = Directory.CreateDirectory(Path.Combine(work, "runs", $"{round}-{function.Name}-{variant}")).FullName;
                    var prepared = await Scenarios.PrepareAsync(function, servers, cancellationToken);
                    var (run, failure) = await MeasuredProcess.RunAsync(
                        dotnet, hostAssembly, packages[(function.Name, variant)], function, variant, prepared, options.Environment, runDirectory, cancellationToken);
                    if (failure is not null)
                    {
                        failures.Add($"{function.Name} ({variant}), round {round}: {failure}");
                        Console.WriteLine($"  {function.Name,-10} {variant,-8} FAILED");
                        continue;
                    }

                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {function.Name,-10} {variant,-8} cold {run!.AnsweredMs,7:0.0} ms   warm {run.WarmInvokeMs,6:0.0} ms   peak {run.PeakKb / 1024.0,5:0.0} MB"));
                    if (!warmup)
                    {
                        runs.Add(run);
                    }
                }
            }
        }

        machine = machine with { LoadAverageAfter = MachineDescription.LoadAverage() };
        var summary = ResultTable.Summarize(runs, zipBytes, functions, variants);
        Console.WriteLine();
        Console.WriteLine(ResultTable.Text(summary, machine, options));
        if (options.Markdown is not null)
        {
            await File.WriteAllTextAsync(options.Markdown, ResultTable.Markdown(summary, machine, options), cancellationToken);
            Console.WriteLine($"Markdown summary written to {options.Markdown}");
        }

        foreach (var failure in failures)
        {
            await Console.Error.WriteLineAsync("FAILED " + failure);
        }

        // Missing a target is reported, not failed; a run that did not work means there is nothing to report.
        return failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The dotnet muxer that runs this process, or the one on PATH.</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, "dotnet");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No dotnet executable on PATH.");
    }
}

/// <summary>The command line of the benchmark.</summary>
internal sealed record BenchOptions(
    IReadOnlyList<(string Name, string Directory)> Variants,
    string Emulators,
    int Runs,
    int Warmup,
    IReadOnlySet<string> Functions,
    IReadOnlyDictionary<string, string> Environment,
    string? Markdown,
    string? Work,
    string? Label,
    bool Help)
{
    public static BenchOptions Parse(string[] args)
    {
        var variants = new List<(string, string)>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var functions = new HashSet<string>(StringComparer.Ordinal);
        string emulators = Path.GetFullPath(Path.Combine("tools", "emulators"));
        string? markdown = null, work = null, label = null;
        int runs = 5, warmup = 1;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return new BenchOptions([], emulators, runs, warmup, functions, environment, null, null, null, Help: true);
            }

            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--variant":
                    var (variant, directory) = Pair(value, name);
                    variants.Add((variant, Path.GetFullPath(directory)));
                    break;
                case "--emulators": emulators = Path.GetFullPath(value); break;
                case "--runs": runs = Count(value, name, minimum: 1); break;
                case "--warmup": warmup = Count(value, name, minimum: 0); break;
                case "--functions":
                    foreach (var function in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        functions.Add(FunctionPackage.All.Any(f => f.Name == function)
                            ? function
                            : throw new ArgumentException($"unknown function '{function}'"));
                    }

                    break;
                case "--env":
                    var (variable, setting) = Pair(value, name);
                    environment[variable] = setting;
                    break;
                case "--markdown": markdown = Path.GetFullPath(value); break;
                case "--work": work = Path.GetFullPath(value); break;
                case "--label": label = value; break;
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }

        if (variants.Count == 0)
        {
            variants.Add(("r2r", Path.GetFullPath("artifacts")));
            variants.Add(("no-r2r", Path.GetFullPath(Path.Combine("artifacts", "no-r2r"))));
        }

        return new BenchOptions(variants, emulators, runs, warmup, functions, environment, markdown, work, label, Help: false);
    }

    private static (string, string) Pair(string value, string option)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? (value[..equals], value[(equals + 1)..]) : throw new ArgumentException($"{option} takes NAME=VALUE, not '{value}'");
    }

    private static int Count(string value, string option, int minimum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= minimum
            ? count
            : throw new ArgumentException($"{option} takes a whole number of at least {minimum}, not '{value}'");
}

/// <summary>The machine the figures were taken on.</summary>
internal sealed record MachineDescription(
    DateTimeOffset TakenAt, string Cpu, int Cores, string Os, string Runtime, string LoadAverageBefore, string LoadAverageAfter)
{
    public static MachineDescription Capture()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";
        var load = LoadAverage();
        return new MachineDescription(
            DateTimeOffset.UtcNow, cpu, Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, load, load);
    }

    /// <summary>The 1-, 5- and 15-minute load averages: other work on the machine inflates every figure.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
