using System.Globalization;

namespace CostNotifier.ScaleBench;

/// <summary>The command line of the benchmark.</summary>
internal sealed record ScaleOptions(
    bool Emulators,
    bool Embedded,
    int Accounts,
    decimal Rate,
    int? CostExplorerPageGroups,
    string EmulatorDirectory,
    string? Cli,
    string? Markdown,
    string? Label,
    TimeSpan Timeout,
    bool Help)
{
    public const string Usage = """
        usage: CostNotifier.ScaleBench [options]
          --target WHERE        emulators, embedded or both (default both)
          --accounts N          linked accounts of the per-account report, one owner each (1000)
          --rate R              the SES sending quota in emails per second, COSTNOTIFIER_SES_MAX_SEND_RATE (14)
          --ce-page-groups N    the most groups one Cost Explorer page holds (default: the whole answer on one page)
          --emulators DIR       the installed emulators (tools/emulators)
          --cli FILE            the built CLI (costnotifier.dll), for --target embedded
          --timeout SECONDS     how long one mode may take before the run counts as failed (900)
          --markdown FILE       also write the table as Markdown
          --label TEXT          a line for the heading, e.g. the commit measured
        """;

    /// <summary>The notifier processes, as Terraform's default maximum concurrency of the notifier's mapping.</summary>
    public const int NotifierProcesses = 2;

    public static ScaleOptions Parse(string[] args)
    {
        bool emulators = true, embedded = true;
        var accounts = 1000;
        var rate = 14m;
        int? pageGroups = null;
        var emulatorDirectory = Path.GetFullPath(Path.Combine("tools", "emulators"));
        string? cli = null, markdown = null, label = null;
        var timeout = TimeSpan.FromSeconds(900);
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return new ScaleOptions(emulators, embedded, accounts, rate, pageGroups, emulatorDirectory, cli, markdown, label, timeout, Help: true);
            }

            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--target":
                    (emulators, embedded) = value switch
                    {
                        "emulators" => (true, false),
                        "embedded" => (false, true),
                        "both" => (true, true),
                        _ => throw new ArgumentException($"--target takes emulators, embedded or both, not '{value}'"),
                    };
                    break;
                case "--accounts": accounts = Count(value, name, 1, 10_000); break;
                case "--rate":
                    rate = decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and <= 1000
                        ? parsed
                        : throw new ArgumentException($"--rate takes emails per second above 0 and at most 1000, not '{value}'");
                    break;
                case "--ce-page-groups": pageGroups = Count(value, name, 1, int.MaxValue); break;
                case "--emulators": emulatorDirectory = Path.GetFullPath(value); break;
                case "--cli": cli = Path.GetFullPath(value); break;
                case "--timeout": timeout = TimeSpan.FromSeconds(Count(value, name, 10, 86_400)); break;
                case "--markdown": markdown = Path.GetFullPath(value); break;
                case "--label": label = value; break;
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }

        if (embedded && cli is null)
        {
            throw new ArgumentException("--target embedded needs --cli, the built costnotifier.dll");
        }

        return new ScaleOptions(emulators, embedded, accounts, rate, pageGroups, emulatorDirectory, cli, markdown, label, timeout, Help: false);
    }

    private static int Count(string value, string option, int minimum, int maximum) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= minimum && count <= maximum
            ? count
            : throw new ArgumentException($"{option} takes a whole number from {minimum} to {maximum}, not '{value}'");
}
