using System.Globalization;
using CostNotifier.Domain;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// Writes amounts of one currency the way the email shows them: rounded to cents half away from zero,
/// thousands separators, invariant culture, "$" for US dollars and the ISO code after the number otherwise.
/// </summary>
internal sealed class AmountFormatter
{
    private readonly string? _prefix;
    private readonly string? _suffix;

    public AmountFormatter(string currency)
    {
        Currency = currency;
        if (string.Equals(currency, "USD", StringComparison.Ordinal))
        {
            _prefix = "$";
        }
        else
        {
            _suffix = " " + currency;
        }
    }

    /// <summary>The currency code as the email names it.</summary>
    public string Currency { get; }

    /// <summary>"$1,234.56", "-$12.34", "1,234.56 EUR".</summary>
    public string Format(decimal amount) => Write(Money.RoundToCents(amount), signed: false);

    /// <summary>Like <see cref="Format"/> but with "+" before increases; zero has no sign.</summary>
    public string FormatChange(decimal amount) => Write(Money.RoundToCents(amount), signed: true);

    /// <summary>"+3.2%", "-10.0%", "0.0%"; the value is already rounded to one decimal.</summary>
    public static string FormatPercent(decimal percent, bool signed)
    {
        var digits = Math.Abs(percent).ToString("#,##0.0", CultureInfo.InvariantCulture);
        var sign = percent < 0 ? "-" : signed && percent > 0 ? "+" : string.Empty;
        return sign + digits + "%";
    }

    private string Write(decimal rounded, bool signed)
    {
        var digits = Math.Abs(rounded).ToString("#,##0.00", CultureInfo.InvariantCulture);
        var sign = rounded < 0 ? "-" : signed && rounded > 0 ? "+" : string.Empty;
        return string.Concat(sign, _prefix, digits, _suffix);
    }
}
