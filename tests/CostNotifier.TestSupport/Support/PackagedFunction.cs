using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;

namespace CostNotifier.TestSupport;

/// <summary>
/// A function package from <c>artifacts/&lt;kind&gt;/&lt;architecture&gt;/&lt;function&gt;.zip</c>, extracted into a
/// fresh temporary directory (its <c>/var/task</c>) and started the way Lambda's runtime starts it: a
/// <see cref="ReadyToRun"/> or <see cref="Il"/> package with <c>dotnet exec &lt;task&gt;/&lt;Assembly&gt;.dll</c> (the
/// dotnet10 managed runtime), a <see cref="NativeAot"/> package as <c>&lt;task&gt;/bootstrap</c> (provided.al2023), in an environment
/// built from scratch with the variables Lambda sets. Disposing deletes the directory.
/// </summary>
internal sealed class PackagedFunction : IDisposable
{
    /// <summary>Framework-dependent ReadyToRun assemblies for the dotnet10 managed runtime.</summary>
    public const string ReadyToRun = "ready-to-run";

    /// <summary>Framework-dependent plain IL assemblies (no ReadyToRun) for the dotnet10 managed runtime.</summary>
    public const string Il = "il";

    /// <summary>One Native AOT executable, <c>bootstrap</c>, for provided.al2023.</summary>
    public const string NativeAot = "native-aot";

    /// <summary>The architecture the tests run on.</summary>
    public const string DefaultArchitecture = "x86_64";

    /// <summary>Lambda's <c>PATH</c> without the managed runtime's own <c>/var/lang/bin</c>.</summary>
    private const string SystemPath = "/usr/local/bin:/usr/bin:/bin:/opt/bin";

    private PackagedFunction(string kind, string name, string architecture, string package, string directory, string entryPoint, string? assembly)
    {
        Kind = kind;
        Name = name;
        Architecture = architecture;
        Package = package;
        Directory = directory;
        EntryPoint = entryPoint;
        Assembly = assembly;
    }

    /// <summary><see cref="ReadyToRun"/>, <see cref="Il"/> or <see cref="NativeAot"/>.</summary>
    public string Kind { get; }

    /// <summary>The function: scheduler, collector or notifier.</summary>
    public string Name { get; }

    /// <summary>The package's architecture, e.g. <c>x86_64</c>.</summary>
    public string Architecture { get; }

    /// <summary>The zip it was extracted from.</summary>
    public string Package { get; }

    /// <summary>Where it was extracted: the function's task root (<c>LAMBDA_TASK_ROOT</c>).</summary>
    public string Directory { get; }

    /// <summary>The file the runtime starts: the assembly's <c>.dll</c>, or <c>bootstrap</c>.</summary>
    public string EntryPoint { get; }

    /// <summary>The assembly name of a managed package (its handler string); null for Native AOT.</summary>
    public string? Assembly { get; }

    /// <summary>The <c>_HANDLER</c> Terraform configures: the assembly name, or <c>bootstrap</c>.</summary>
    public string Handler => Assembly ?? "bootstrap";

    /// <summary>
    /// Extracts <c>&lt;artifacts&gt;/&lt;kind&gt;/&lt;architecture&gt;/&lt;function&gt;.zip</c>; the artifacts directory
    /// defaults to <c>artifacts</c> of the checkout the code runs from. Throws saying how to build a missing package,
    /// and refuses a package Lambda could not start (a <c>bootstrap</c> without its executable bit, a managed package
    /// without its <c>.dll</c>, <c>.deps.json</c> or <c>.runtimeconfig.json</c>).
    /// </summary>
    public static PackagedFunction Extract(
        string kind, string function, string architecture = DefaultArchitecture, string? artifactsDirectory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(function);
        ArgumentException.ThrowIfNullOrWhiteSpace(architecture);
        var build = kind switch
        {
            ReadyToRun => "./build.sh package",
            NativeAot => "./build.sh package --aot",
            Il => "./build.sh package --no-r2r",
            _ => throw new ArgumentException($"Unknown package kind '{kind}': use {ReadyToRun}, {NativeAot} or {Il}.", nameof(kind)),
        };
        if (architecture != DefaultArchitecture)
        {
            build += " --arch " + architecture;
        }

        var package = Path.Combine(artifactsDirectory ?? Path.Combine(RepositoryRoot(), "artifacts"), kind, architecture, function + ".zip");
        if (!File.Exists(package))
        {
            throw new InvalidOperationException($"The {kind} package {package} does not exist. Run `{build}` in the repository first.");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory($"costnotifier-{function}-{kind}-").FullName;
        try
        {
            return kind == NativeAot
                ? ExtractNativeAot(package, directory, function, architecture)
                : ExtractManaged(kind, package, directory, function, architecture);
        }
        catch
        {
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// The environment Lambda gives the function's process (<c>AWS_LAMBDA_RUNTIME_API</c>, <c>LAMBDA_TASK_ROOT</c>,
    /// <c>_HANDLER</c>, function name, memory, version, region, credentials, <c>TZ</c>, <c>LANG</c>, <c>PATH</c>,
    /// <c>LD_LIBRARY_PATH</c>, and <c>DOTNET_ROOT</c> on the managed runtime), then <paramref name="extra"/>, whose
    /// values win; a null value removes the variable. Nothing comes from the calling process.
    /// </summary>
    public Dictionary<string, string> LambdaEnvironment(string runtimeApi, IReadOnlyDictionary<string, string?>? extra = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runtimeApi);
        var functionName = "costnotifier-" + Name;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_LAMBDA_RUNTIME_API"] = runtimeApi,
            ["LAMBDA_TASK_ROOT"] = Directory,
            ["_HANDLER"] = Handler,
            ["AWS_LAMBDA_FUNCTION_NAME"] = functionName,
            ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512",
            ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
            ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
            ["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + functionName,
            ["AWS_LAMBDA_LOG_STREAM_NAME"] = $"{DateTimeOffset.UtcNow:yyyy/MM/dd}/[$LATEST]{Guid.NewGuid():N}",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "ASIATESTTESTTESTTEST",
            ["AWS_SECRET_ACCESS_KEY"] = "test-secret-access-key",
            ["AWS_SESSION_TOKEN"] = "test-session-token",
            ["TZ"] = ":UTC",
            ["LANG"] = "en_US.UTF-8",
            ["LD_LIBRARY_PATH"] = $"/lib64:/usr/lib64:{Directory}:{Directory}/lib:/opt/lib",
        };
        if (Kind != NativeAot)
        {
            // The managed runtime puts its .NET on PATH and names it in DOTNET_ROOT.
            var dotnetRoot = Path.GetDirectoryName(DotnetHost())!;
            environment["PATH"] = dotnetRoot + ":" + SystemPath;
            environment["DOTNET_ROOT"] = dotnetRoot;
            environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_dotnet10";
        }
        else
        {
            environment["PATH"] = SystemPath;
        }

        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                environment.Remove(name);
            }
            else
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    /// <summary>The command line Lambda's runtime starts the function with: the program, then its arguments.</summary>
    public IReadOnlyList<string> Command() => Kind == NativeAot ? [EntryPoint] : [DotnetHost(), "exec", EntryPoint];

    /// <summary>
    /// Starts the function against the Runtime API at <paramref name="runtimeApi"/> with
    /// <see cref="LambdaEnvironment"/> and the task root as working directory.
    /// </summary>
    /// <param name="runtimeApi">The <c>host:port</c> of the Runtime API (<see cref="RuntimeApiServer.Address"/>).</param>
    /// <param name="extra">The function's own settings, added to (or, when null, removed from) Lambda's variables.</param>
    /// <param name="launcher">
    /// A command to run the function under (e.g. <c>unshare</c> … <c>sh -c '…; exec "$@"' sh</c>); the function's
    /// <see cref="Command"/> is appended to it. Null starts the function directly.
    /// </param>
    public FunctionProcess Start(
        string runtimeApi, IReadOnlyDictionary<string, string?>? extra = null, IReadOnlyList<string>? launcher = null) =>
        FunctionProcess.Start([.. launcher ?? [], .. Command()], Directory, LambdaEnvironment(runtimeApi, extra));

    /// <summary>Deletes the extracted package.</summary>
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// The <c>dotnet</c> host the tests themselves run on: <c>DOTNET_HOST_PATH</c> when set, otherwise <c>dotnet</c>
    /// on <c>PATH</c>, with symbolic links resolved so its directory is the .NET installation.
    /// </summary>
    public static string DotnetHost()
    {
        var candidate = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } configured && File.Exists(configured)
            ? configured
            : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(directory => Path.Combine(directory, "dotnet"))
                .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("No dotnet host: DOTNET_HOST_PATH is not set and no dotnet is on PATH.");
        return File.ResolveLinkTarget(candidate, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(candidate);
    }

    /// <summary>The checkout the code runs from: the first directory above it holding <c>CostNotifier.sln</c>.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CostNotifier.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No directory above {AppContext.BaseDirectory} holds CostNotifier.sln; run from the repository.");
    }

    private static PackagedFunction ExtractNativeAot(string package, string directory, string function, string architecture)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("A Native AOT bootstrap for Lambda runs on Linux only.");
        }

        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            if (entries is not ["bootstrap"])
            {
                throw new InvalidOperationException(
                    $"{package} must hold exactly one file, bootstrap, which provided.al2023 runs; it holds: {string.Join(", ", entries)}.");
            }

            // The upper 16 bits of a Unix zip entry's external attributes are its st_mode; Lambda applies them.
            var mode = (UnixFileMode)((zip.Entries[0].ExternalAttributes >> 16) & 0x1FF);
            if (!mode.HasFlag(UnixFileMode.UserExecute) || !mode.HasFlag(UnixFileMode.OtherExecute))
            {
                throw new InvalidOperationException(
                    $"bootstrap in {package} has mode {Octal(mode)}, not executable by everyone (0755): Lambda could not start it. Rebuild with ./build.sh package --aot.");
            }
        }

        ZipFile.ExtractToDirectory(package, directory);
        var bootstrap = Path.Combine(directory, "bootstrap");
        var extracted = File.GetUnixFileMode(bootstrap);
        if (!extracted.HasFlag(UnixFileMode.UserExecute))
        {
            throw new InvalidOperationException(
                $"bootstrap extracted from {package} lost its executable bit (mode {Octal(extracted)}): the extraction does not keep Unix modes, so the test could not start it as Lambda would.");
        }

        return new PackagedFunction(NativeAot, function, architecture, package, directory, bootstrap, assembly: null);
    }

    private static PackagedFunction ExtractManaged(string kind, string package, string directory, string function, string architecture)
    {
        ZipFile.ExtractToDirectory(package, directory);
        var runtimeConfigs = System.IO.Directory.GetFiles(directory, "*.runtimeconfig.json");
        if (runtimeConfigs.Length != 1)
        {
            throw new InvalidOperationException(
                $"{package} must hold exactly one *.runtimeconfig.json at its root (the function's); it holds {runtimeConfigs.Length}.");
        }

        var assembly = Path.GetFileName(runtimeConfigs[0])[..^".runtimeconfig.json".Length];
        var missing = new[] { assembly + ".dll", assembly + ".deps.json" }
            .Where(file => !File.Exists(Path.Combine(directory, file)))
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"{package} lacks {string.Join(" and ", missing)} at its root: the dotnet10 runtime could not start {assembly}.");
        }

        return new PackagedFunction(kind, function, architecture, package, directory, Path.Combine(directory, assembly + ".dll"), assembly);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}

/// <summary>
/// A running function process: its output line by line, its peak memory and its exit. Disposing kills it (and
/// anything it started) if it is still running.
/// </summary>
internal sealed class FunctionProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _standardOutput = new();
    private readonly ConcurrentQueue<string> _standardError = new();
    private long _peakMemoryBytes;

    private FunctionProcess(Process process, long startedTimestamp)
    {
        _process = process;
        StartedTimestamp = startedTimestamp;
    }

    /// <summary>The process id.</summary>
    public int Id { get; private set; }

    /// <summary>The <see cref="Stopwatch.GetTimestamp"/> just before the process was started.</summary>
    public long StartedTimestamp { get; }

    /// <summary>The lines written to standard output so far (the function's JSON logs and EMF metrics).</summary>
    public IReadOnlyList<string> StandardOutput => [.. _standardOutput];

    /// <summary>The lines written to standard error so far.</summary>
    public IReadOnlyList<string> StandardError => [.. _standardError];

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code; throws while the process runs.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Starts <paramref name="command"/> (program, then arguments) in <paramref name="workingDirectory"/> with exactly
    /// <paramref name="environment"/>.
    /// </summary>
    public static FunctionProcess Start(IReadOnlyList<string> command, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(environment);
        if (command.Count == 0)
        {
            throw new ArgumentException("The command is empty.", nameof(command));
        }

        var start = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var function = new FunctionProcess(process, Stopwatch.GetTimestamp());
        process.OutputDataReceived += (_, e) => Keep(function._standardOutput, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(function._standardError, e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {string.Join(' ', command)}.");
        }

        function.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return function;
    }

    /// <summary>
    /// The process's peak resident memory (<c>VmHWM</c> of <c>/proc/&lt;pid&gt;/status</c>), read now; once it has
    /// exited, the last value read.
    /// </summary>
    public long PeakMemoryBytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null)
            {
                var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                _peakMemoryBytes = Math.Max(_peakMemoryBytes, kilobytes * 1024);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Exited: keep the last reading.
        }

        return _peakMemoryBytes;
    }

    /// <summary>Waits for the process to exit and its output to drain; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>Everything it wrote, for a failure message.</summary>
    public string Output() =>
        $"--- pid {Id} stdout ---{Environment.NewLine}{string.Join(Environment.NewLine, _standardOutput)}{Environment.NewLine}" +
        $"--- pid {Id} stderr ---{Environment.NewLine}{string.Join(Environment.NewLine, _standardError)}";

    /// <summary>Kills the process if it still runs, and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync(CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            // Never started, or already reaped.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static void Keep(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
