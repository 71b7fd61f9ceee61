using System.Globalization;
using System.Runtime.InteropServices;
using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.TestSupport;

namespace CostNotifier.FunctionBench;

/// <summary>
/// Measures the cold start of each packaged function as Lambda's runtime starts it: for every run, function and
/// package kind, a fresh process is started straight from the extracted zip (<c>dotnet exec &lt;Assembly&gt;.dll</c>,
/// or the Native AOT <c>bootstrap</c>) against a Runtime API emulator, answers one event against the emulators
/// (cold) and then a second one (warm). Prints medians and compares them with the targets.
/// </summary>
internal static class Bench
{
    private const string Usage = """
        usage: CostNotifier.FunctionBench [options]
          --kind KIND          a package kind to measure: ready-to-run, native-aot or il (repeatable; default
                               ready-to-run and native-aot), read from ARTIFACTS/KIND/ARCH/<function>.zip
          --artifacts DIR      where the packages are (artifacts)
          --arch ARCH          the packages' architecture, which must run on this machine (x86_64)
          --emulators DIR      the installed emulators (tools/emulators)
          --runs N             measured runs per function and kind (5)
          --warmup N           runs first made and discarded, to settle disk cache and emulators (1)
          --functions LIST     comma-separated subset of scheduler,collector,notifier
          --env NAME=VALUE     extra environment for the measured processes, e.g. DOTNET_TieredPGO=0 (repeatable)
          --markdown FILE      also write the summary as Markdown
          --label TEXT         a line for the summary's heading, e.g. the commit measured
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

        var functions = FunctionPackage.All.Where(f => options.Functions.Count == 0 || options.Functions.Contains(f.Name)).ToList();
        var packages = new Dictionary<(string Function, string Kind), PackagedFunction>();
        try
        {
            try
            {
                foreach (var kind in options.Kinds)
                {
                    foreach (var function in functions)
                    {
                        packages[(function.Name, kind)] = PackagedFunction.Extract(kind, function.Name, options.Architecture, options.Artifacts);
                    }
                }
            }
            catch (InvalidOperationException ex)
            {
                // A missing or malformed package: the message says which, and how to build it.
                await Console.Error.WriteLineAsync($"FunctionBench: {ex.Message}");
                return 1;
            }

            return await MeasureAsync(options, functions, packages, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("FunctionBench: stopped.");
            return 130;
        }
        finally
        {
            foreach (var package in packages.Values)
            {
                package.Dispose();
            }
        }
    }

    private static async Task<int> MeasureAsync(
        BenchOptions options,
        IReadOnlyList<FunctionPackage> functions,
        IReadOnlyDictionary<(string Function, string Kind), PackagedFunction> packages,
        CancellationToken cancellationToken)
    {
        var machine = MachineDescription.Capture();
        var zipBytes = packages.ToDictionary(p => p.Key, p => new FileInfo(p.Value.Package).Length);

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
        var total = options.Warmup + options.Runs;
        for (var round = 1; round <= total; round++)
        {
            var warmup = round <= options.Warmup;
            Console.WriteLine(warmup ? $"Warm-up round {round} of {options.Warmup} (discarded)" : $"Round {round - options.Warmup} of {options.Runs}");
            foreach (var function in functions)
            {
                // Alternate the order of the kinds, so neither always runs right after the other's disk reads.
                var order = round % 2 == 1 ? options.Kinds : options.Kinds.Reverse().ToList();
                foreach (var kind in order)
                {
                    var prepared = await Scenarios.PrepareAsync(function, servers, cancellationToken);
                    var (run, failure) = await MeasuredProcess.RunAsync(
                        packages[(function.Name, kind)], function, prepared, options.Environment, cancellationToken);
                    if (failure is not null)
                    {
                        failures.Add($"{function.Name} ({kind}), round {round}: {failure}");
                        Console.WriteLine($"  {function.Name,-10} {kind,-12} FAILED");
                        continue;
                    }

                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {function.Name,-10} {kind,-12} cold {run!.AnsweredMs,7:0.0} ms   init {run.InitMs,7:0.0} ms   warm {run.WarmInvokeMs,6:0.0} ms   peak {run.PeakBytes / ResultTable.Mebibyte,5:0.0} MB"));
                    if (!warmup)
                    {
                        runs.Add(run);
                    }
                }
            }
        }

        machine = machine with { LoadAverageAfter = MachineDescription.LoadAverage() };
        var summary = ResultTable.Summarize(runs, zipBytes, functions, options.Kinds);
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
}

/// <summary>The command line of the benchmark.</summary>
internal sealed record BenchOptions(
    IReadOnlyList<string> Kinds,
    string Artifacts,
    string Architecture,
    string Emulators,
    int Runs,
    int Warmup,
    IReadOnlySet<string> Functions,
    IReadOnlyDictionary<string, string> Environment,
    string? Markdown,
    string? Label,
    bool Help)
{
    /// <summary>The package kinds <c>./build.sh package</c> writes: default, <c>--aot</c> and <c>--no-r2r</c>.</summary>
    public static IReadOnlyList<string> KnownKinds { get; } = [PackagedFunction.ReadyToRun, PackagedFunction.NativeAot, PackagedFunction.Il];

    public static BenchOptions Parse(string[] args)
    {
        var kinds = new List<string>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var functions = new HashSet<string>(StringComparer.Ordinal);
        var artifacts = Path.GetFullPath("artifacts");
        var architecture = PackagedFunction.DefaultArchitecture;
        var emulators = Path.GetFullPath(Path.Combine("tools", "emulators"));
        string? markdown = null, label = null;
        int runs = 5, warmup = 1;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return new BenchOptions([], artifacts, architecture, emulators, runs, warmup, functions, environment, null, null, Help: true);
            }

            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--kind":
                    if (!KnownKinds.Contains(value))
                    {
                        throw new ArgumentException($"unknown package kind '{value}': use {string.Join(", ", KnownKinds)}");
                    }

                    if (!kinds.Contains(value))
                    {
                        kinds.Add(value);
                    }

                    break;
                case "--artifacts": artifacts = Path.GetFullPath(value); break;
                case "--arch": architecture = value; break;
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
                case "--label": label = value; break;
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }

        // The processes are started directly, as on Lambda: an arm64 package cannot run on an x86_64 machine.
        var native = RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => "x86_64",
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            _ => RuntimeInformation.OSArchitecture.ToString(),
        };
        if (architecture != native)
        {
            throw new ArgumentException($"--arch {architecture}: this machine runs {native} packages only");
        }

        if (kinds.Count == 0)
        {
            kinds.Add(PackagedFunction.ReadyToRun);
            kinds.Add(PackagedFunction.NativeAot);
        }

        return new BenchOptions(kinds, artifacts, architecture, emulators, runs, warmup, functions, environment, markdown, label, Help: false);
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
