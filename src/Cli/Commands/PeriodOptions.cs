using System.CommandLine;
using CostNotifier.Domain;
using CostNotifier.Scheduler;
using CostNotifier.Validation;

namespace CostNotifier.Cli.Commands;

/// <summary>
/// <c>--date</c>, <c>--week</c> or <c>--month</c> (one of them), with an optional <c>--to</c> of the same kind: which
/// periods a command is about. A day is <c>yyyy-MM-dd</c> or <c>yesterday</c>, a week an ISO week <c>yyyy-Www</c>,
/// a month <c>yyyy-MM</c>.
/// </summary>
internal sealed class PeriodOptions
{
    private readonly Option<string?>? _to;

    private PeriodOptions(string what, bool withTo)
    {
        Date = new Option<string?>("--date") { Description = $"Usage day {what} (yyyy-MM-dd or 'yesterday')." };
        Week = new Option<string?>("--week") { Description = $"ISO week {what}, Monday to Sunday in UTC (yyyy-Www, e.g. 2026-W48); for weekly digests." };
        Month = new Option<string?>("--month") { Description = $"Calendar month {what} (yyyy-MM, e.g. 2026-11); for monthly digests." };
        if (withTo)
        {
            _to = new Option<string?>("--to") { Description = "Last period of a range starting at --date, --week or --month (inclusive), of the same kind." };
        }
    }

    /// <summary><c>--date</c>.</summary>
    public Option<string?> Date { get; }

    /// <summary><c>--week</c>.</summary>
    public Option<string?> Week { get; }

    /// <summary><c>--month</c>.</summary>
    public Option<string?> Month { get; }

    /// <summary>The options, with <c>--to</c> when a range is allowed.</summary>
    public static PeriodOptions Create(string what, bool withTo) => new(what, withTo);

    /// <summary>Adds the options to <paramref name="command"/> with the rule that exactly one of them is given.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Date);
        command.Options.Add(Week);
        command.Options.Add(Month);
        if (_to is not null)
        {
            command.Options.Add(_to);
        }

        command.Validators.Add(result =>
        {
            var given = new[] { Date, Week, Month }.Count(o => result.GetValue(o) is not null);
            if (given != 1)
            {
                result.AddError("Give one of --date, --week or --month.");
            }
        });
    }

    /// <summary>The periods asked for; throws <see cref="FormatException"/> naming the option when one is malformed.</summary>
    public PeriodRange Parse(ParseResult parsed, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(context);
        var (option, cadence) = parsed.GetValue(Week) is not null ? (Week, Cadence.Weekly)
            : parsed.GetValue(Month) is not null ? (Month, Cadence.Monthly)
            : (Date, Cadence.Daily);
        var first = ParseOne(parsed.GetValue(option), option.Name, cadence, context);
        var last = _to is not null && parsed.GetValue(_to) is { } to ? ParseOne(to, "--to", cadence, context) : first;
        return last < first
            ? throw new FormatException($"--to {last} is before {option.Name} {first}; give the first period with {option.Name} and the last with --to.")
            : new PeriodRange(first, last);
    }

    /// <summary>
    /// The periods asked for, refused (as bad input) when one has not ended, lies before Cost Explorer's history, or
    /// the range is longer than one command may cover.
    /// </summary>
    public PeriodRange ParseReportable(ParseResult parsed, CliContext context)
    {
        var periods = Parse(parsed, context);
        var today = ReportDate.FromInstant(context.Time.GetUtcNow());
        foreach (var period in new[] { periods.First, periods.Last })
        {
            if (ReportPeriodRules.WhyNotReportable(period, today) is { } why)
            {
                throw new FormatException(why + ".");
            }
        }

        var days = periods.Days;
        if (days.Days > ScheduleReportsValidator.MaxDays)
        {
            throw new FormatException($"the range {days.Start}..{days.Last} is {days.Days} days, longer than the {ScheduleReportsValidator.MaxDays} a replay may cover.");
        }

        return periods;
    }

    private static ReportPeriod ParseOne(string? text, string option, Cadence cadence, CliContext context)
    {
        if (cadence == Cadence.Daily)
        {
            return context.ParseDate(text, option);
        }

        if (!ReportPeriod.TryParse(text, out var period, out var problem))
        {
            throw new FormatException($"{option} {problem}.");
        }

        if (period.Cadence != cadence)
        {
            throw new FormatException($"{option} '{text}' is not {ReportPeriodRules.Example(cadence)}.");
        }

        return period;
    }
}
