using System.Globalization;
using CostNotifier.Domain;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// Writes amounts of one currency the way the email shows them: rounded to cents half away from zero,
/// thousands separators, invariant culture, "$" for US dollars and the ISO code after the number otherwise.
/// </summary>
internal sealed class AmountFormatter
{
    private const string Cents = "#,##0.00";
    private const string WholeUnits = "#,##0";
    private const string RangeDash = "\u2013";

    private readonly string? _prefix;
    private readonly string? _suffix;

    public AmountFormatter(string currency)
        : this(currency, withCode: true)
    {
    }

    private AmountFormatter(string currency, bool withCode)
    {
        Currency = currency;
        if (string.Equals(currency, "USD", StringComparison.Ordinal))
        {
            _prefix = "$";
        }
        else if (withCode)
        {
            _suffix = " " + currency;
        }
    }

    /// <summary>The currency code as the email names it.</summary>
    public string Currency { get; }

    /// <summary>
    /// The same amounts for the cells of a table whose heading names the currency: "$" stays, a code after the number
    /// is left to the heading (see <see cref="AmountHeading"/>), which keeps the columns narrow.
    /// </summary>
    public AmountFormatter ForTable() => _suffix is null ? this : new AmountFormatter(Currency, withCode: false);

    /// <summary>"Amount", or "Amount (EUR)" when the cells leave the currency out.</summary>
    public string AmountHeading => _prefix is null ? "Amount (" + Currency + ")" : "Amount";

    /// <summary>"$1,234.56", "-$12.34", "1,234.56 EUR".</summary>
    public string Format(decimal amount) => Write(Money.RoundToCents(amount), signed: false);

    /// <summary>Like <see cref="Format"/> but with "+" before increases; zero has no sign.</summary>
    public string FormatChange(decimal amount) => Write(Money.RoundToCents(amount), signed: true);

    /// <summary>
    /// For figures that are estimates (projections, expected ranges): whole units from 100 up ("$9,420"), cents below
    /// ("$42.10"), where whole units would hide the figure.
    /// </summary>
    public string FormatRough(decimal amount) => IsLarge(amount)
        ? Write(Math.Round(amount, 0, MidpointRounding.AwayFromZero), signed: false, WholeUnits)
        : Format(amount);

    /// <summary>Like <see cref="FormatRough"/> but with "+" before increases.</summary>
    public string FormatRoughChange(decimal amount) => IsLarge(amount)
        ? Write(Math.Round(amount, 0, MidpointRounding.AwayFromZero), signed: true, WholeUnits)
        : FormatChange(amount);

    /// <summary>"$160–190", "$1.20–4.50", "160–190 EUR": the currency written once, both ends as rough as the larger.</summary>
    public string FormatRange(decimal low, decimal high)
    {
        var large = IsLarge(low) || IsLarge(high);
        var (from, to) = large
            ? (Math.Round(low, 0, MidpointRounding.AwayFromZero), Math.Round(high, 0, MidpointRounding.AwayFromZero))
            : (Money.RoundToCents(low), Money.RoundToCents(high));
        var pattern = large ? WholeUnits : Cents;
        if (from < 0 || to < 0)
        {
            // A minus sign inside the range would read as a dash; write both ends in full.
            return Write(from, signed: false, pattern) + RangeDash + Write(to, signed: false, pattern);
        }

        return _prefix + from.ToString(pattern, CultureInfo.InvariantCulture) + RangeDash + to.ToString(pattern, CultureInfo.InvariantCulture) + _suffix;
    }

    /// <summary>"+3.2%", "-10.0%", "0.0%"; the value is already rounded to one decimal.</summary>
    public static string FormatPercent(decimal percent, bool signed)
    {
        var digits = Math.Abs(percent).ToString("#,##0.0", CultureInfo.InvariantCulture);
        var sign = percent < 0 ? "-" : signed && percent > 0 ? "+" : string.Empty;
        return sign + digits + "%";
    }

    private static bool IsLarge(decimal amount) => Math.Abs(amount) >= 100m;

    private string Write(decimal rounded, bool signed, string pattern = Cents)
    {
        var digits = Math.Abs(rounded).ToString(pattern, CultureInfo.InvariantCulture);
        var sign = rounded < 0 ? "-" : signed && rounded > 0 ? "+" : string.Empty;
        return string.Concat(sign, _prefix, digits, _suffix);
    }
}
