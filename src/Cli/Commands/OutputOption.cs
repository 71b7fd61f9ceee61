using System.CommandLine;

namespace CostNotifier.Cli.Commands;

/// <summary>The <c>--output</c> option shared by commands that print data.</summary>
public static class OutputOption
{
    /// <summary>Creates the option accepting <paramref name="formats"/>; the first is the default.</summary>
    public static Option<string> Create(params string[] formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        var option = new Option<string>("--output", "-o")
        {
            Description = $"Output format: {string.Join(", ", formats)} (default {formats[0]}). JSON fields are documented in docs/CLI.md.",
            DefaultValueFactory = _ => formats[0],
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }
}
