namespace CostNotifier.Domain;

/// <summary>Money rules. Amounts keep Cost Explorer's full precision as <c>decimal</c>; only display rounds.</summary>
public static class Money
{
    /// <summary>Rounds an amount to cents, half away from zero, as invoices round.</summary>
    public static decimal RoundToCents(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
