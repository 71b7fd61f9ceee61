using System.Globalization;

namespace CostNotifier.Domain;

/// <summary>An amount in one currency. Amounts keep Cost Explorer's full precision; only display rounds.</summary>
public readonly record struct Money(decimal Amount, string Currency)
{
    /// <summary>Adds two amounts of the same currency.</summary>
    public static Money operator +(Money left, Money right)
    {
        if (!string.Equals(left.Currency, right.Currency, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Cannot add {right.Currency} to {left.Currency}.");
        }

        return left with { Amount = left.Amount + right.Amount };
    }

    /// <summary>The amount rounded to cents, half away from zero, as invoices round.</summary>
    public decimal ToCents() => RoundToCents(Amount);

    /// <summary>Rounds an amount to cents, half away from zero.</summary>
    public static decimal RoundToCents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{ToCents():0.00} {Currency}");
}
