namespace CostNotifier.Domain;

/// <summary>What a report groups cost by.</summary>
public enum GroupingKind
{
    /// <summary>Cost Explorer dimension <c>SERVICE</c>.</summary>
    Service,

    /// <summary>Cost Explorer dimension <c>LINKED_ACCOUNT</c>.</summary>
    LinkedAccount,

    /// <summary>A cost-allocation tag key.</summary>
    Tag,
}

/// <summary>
/// How a report groups its cost: <c>SERVICE</c>, <c>LINKED_ACCOUNT</c> or <c>TAG:key</c>.
/// </summary>
public sealed record GroupBy(GroupingKind Kind, string? TagKey = null)
{
    /// <summary>Group by service.</summary>
    public static readonly GroupBy Service = new(GroupingKind.Service);

    /// <summary>Group by linked account.</summary>
    public static readonly GroupBy LinkedAccount = new(GroupingKind.LinkedAccount);

    /// <summary>Parses <c>SERVICE</c>, <c>LINKED_ACCOUNT</c> or <c>TAG:key</c>.</summary>
    public static GroupBy Parse(string? text)
    {
        switch (text)
        {
            case "SERVICE":
                return Service;
            case "LINKED_ACCOUNT":
                return LinkedAccount;
            case not null when text.StartsWith("TAG:", StringComparison.Ordinal) && text.Length > 4 && text.Length <= 132:
                return new GroupBy(GroupingKind.Tag, text[4..]);
            default:
                throw new FormatException($"'{text}' is not a valid groupBy: use SERVICE, LINKED_ACCOUNT or TAG:<key>.");
        }
    }

    /// <summary>Parses without throwing.</summary>
    public static bool TryParse(string? text, out GroupBy? groupBy)
    {
        try
        {
            groupBy = Parse(text);
            return true;
        }
        catch (FormatException)
        {
            groupBy = null;
            return false;
        }
    }

    /// <summary>A label for people: "Service", "Account" or the tag key.</summary>
    public string Label => Kind switch
    {
        GroupingKind.Service => "Service",
        GroupingKind.LinkedAccount => "Account",
        _ => TagKey!,
    };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        GroupingKind.Service => "SERVICE",
        GroupingKind.LinkedAccount => "LINKED_ACCOUNT",
        _ => "TAG:" + TagKey,
    };
}
