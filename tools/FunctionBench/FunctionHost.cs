using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.Loader;
using System.Text;
using System.Text.Json;

namespace CostNotifier.FunctionBench;

/// <summary>
/// The measured process: a stand-in for the managed runtime's bootstrap. It is started the way the dotnet10 runtime
/// starts a class-library handler (<c>dotnet exec --depsfile &lt;fn&gt;.deps.json --runtimeconfig
/// &lt;fn&gt;.runtimeconfig.json &lt;host&gt; &lt;handler&gt;</c>), so the function's own deps.json decides which
/// assemblies exist and its runtimeconfig.json configures the runtime. It loads the handler's assembly by name,
/// constructs the function with its public parameterless constructor (which builds the container from the
/// environment), invokes the handler twice and writes what it measured to a JSON file.
/// </summary>
/// <remarks>
/// Only the BCL is used here, and the host assembly sits alone in its folder: every project and package assembly
/// this process runs comes from the extracted zip, which <see cref="ForeignAssemblies"/> checks afterwards.
/// </remarks>
internal static class FunctionHost
{
    /// <summary>The first argument that selects this role.</summary>
    public const string Command = "invoke";

    public static int Run(ReadOnlySpan<string> args)
    {
        var mainAt = Stopwatch.GetTimestamp();
        string? handler = null, coldEvent = null, warmEvent = null, resultPath = null, package = null;
        long spawnedAt = 0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--handler": handler = value; break;
                case "--cold-event": coldEvent = value; break;
                case "--warm-event": warmEvent = value; break;
                case "--result": resultPath = value; break;
                case "--package": package = value; break;
                case "--spawned-at": spawnedAt = long.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        if (handler is null || coldEvent is null || warmEvent is null || resultPath is null || package is null || spawnedAt == 0)
        {
            Console.Error.WriteLine("usage: invoke --handler A::T::M --cold-event F --warm-event F --package DIR --spawned-at TIMESTAMP --result F");
            return 2;
        }

        // Lambda hands the payload over from the Runtime API; reading a small file stands in for that.
        var coldPayload = File.ReadAllBytes(coldEvent);
        var warmPayload = File.ReadAllBytes(warmEvent);
        var parts = handler.Split("::");
        if (parts.Length != 3)
        {
            Console.Error.WriteLine($"handler '{handler}' is not Assembly::Type::Method");
            return 2;
        }

        using var result = new FileStream(resultPath, FileMode.Create, FileAccess.Write);
        using var json = new Utf8JsonWriter(result, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("mainMs", Milliseconds(spawnedAt, mainAt));
        try
        {
            // As the runtime does: the default context resolves the name through the function's deps.json.
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(parts[0]));
            var loadedAt = Stopwatch.GetTimestamp();
            var type = assembly.GetType(parts[1], throwOnError: true)!;
            var method = type.GetMethod(parts[2], BindingFlags.Public | BindingFlags.Instance, [typeof(Stream)])
                ?? throw new MissingMethodException(parts[1], parts[2]);
            var instance = Activator.CreateInstance(type)!;
            var builtAt = Stopwatch.GetTimestamp();
            var handle = method.CreateDelegate<Func<Stream, Task<Stream>>>(instance);

            var coldResponse = Invoke(handle, coldPayload);
            var answeredAt = Stopwatch.GetTimestamp();
            var jitMethods = JitInfo.GetCompiledMethodCount();
            var jitTime = JitInfo.GetCompilationTime();
            var peakAfterColdKb = PeakResidentKilobytes();

            var warmStart = Stopwatch.GetTimestamp();
            var warmResponse = Invoke(handle, warmPayload);
            var warmEnd = Stopwatch.GetTimestamp();

            json.WriteNumber("loadedMs", Milliseconds(spawnedAt, loadedAt));
            json.WriteNumber("builtMs", Milliseconds(spawnedAt, builtAt));
            json.WriteNumber("answeredMs", Milliseconds(spawnedAt, answeredAt));
            json.WriteNumber("coldInvokeMs", Milliseconds(builtAt, answeredAt));
            json.WriteNumber("warmInvokeMs", Milliseconds(warmStart, warmEnd));
            json.WriteNumber("jitMethods", jitMethods);
            json.WriteNumber("jitMs", jitTime.TotalMilliseconds);
            json.WriteNumber("peakAfterColdKb", peakAfterColdKb);
            json.WriteNumber("peakKb", PeakResidentKilobytes());
            json.WriteString("coldResponse", coldResponse);
            json.WriteString("warmResponse", warmResponse);
            json.WriteStartArray("foreignAssemblies");
            foreach (var location in ForeignAssemblies(package))
            {
                json.WriteStringValue(location);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            return 0;
        }
        catch (Exception ex)
        {
            json.WriteString("error", (ex is TargetInvocationException { InnerException: { } inner } ? inner : ex).ToString());
            json.WriteEndObject();
            return 1;
        }
    }

    private static string Invoke(Func<Stream, Task<Stream>> handle, byte[] payload)
    {
        using var input = new MemoryStream(payload, writable: false);
        using var output = handle(input).GetAwaiter().GetResult();
        using var copy = new MemoryStream();
        output.CopyTo(copy);
        return Encoding.UTF8.GetString(copy.GetBuffer(), 0, (int)copy.Length);
    }

    private static double Milliseconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary>The process's peak resident set (VmHWM), which is what a memory limit is measured against.</summary>
    private static long PeakResidentKilobytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>Loaded assemblies that came neither from the shared framework, this host nor the package.</summary>
    private static List<string> ForeignAssemblies(string package)
    {
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var host = typeof(FunctionHost).Assembly;
        var packageDirectory = Path.GetFullPath(package).TrimEnd('/') + "/";
        var foreign = new List<string>();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            var location = assembly.IsDynamic ? string.Empty : assembly.Location;
            if (assembly == host
                || location.Length == 0
                || location.StartsWith(framework, StringComparison.Ordinal)
                || location.StartsWith(packageDirectory, StringComparison.Ordinal))
            {
                continue;
            }

            foreign.Add(location);
        }

        return foreign;
    }
}
