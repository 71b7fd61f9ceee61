using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CostNotifier.ScaleBench;

/// <summary>
/// The organisation the benchmark reports on: one daily per-account report, <c>org-accounts</c>, over
/// <see cref="AccountCount"/> linked accounts with one owner each (unowned accounts skipped), the organisation total
/// to <see cref="OrgRecipient"/>. Every account gets one email and the organisation one: <see cref="ExpectedEmails"/>.
/// </summary>
internal sealed class ScaleConfiguration
{
    public const string ReportId = "org-accounts";
    public const string OrgRecipient = "finops@example.com";

    private const long FirstAccount = 100_000_000_000;

    public ScaleConfiguration(int accountCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(accountCount, 1);
        AccountCount = accountCount;
        Accounts = [.. Enumerable.Range(1, accountCount).Select(AccountId)];
    }

    /// <summary>The linked accounts, in order.</summary>
    public int AccountCount { get; }

    /// <summary>The 12-digit ids of the linked accounts: 100000000001, 100000000002, ...</summary>
    public IReadOnlyList<string> Accounts { get; }

    /// <summary>One email per account's share, one for the organisation total.</summary>
    public int ExpectedEmails => AccountCount + 1;

    /// <summary>The snapshots the run records: one per account's share, one for the organisation total.</summary>
    public int Snapshots => AccountCount + 1;

    public static string AccountId(int index) => (FirstAccount + index).ToString("D12", CultureInfo.InvariantCulture);

    public static string OwnerOf(int index) => $"owner-{index.ToString(CultureInfo.InvariantCulture)}@example.com";

    /// <summary>The configuration file, as an operator would write it for <c>costnotifier reports publish</c>.</summary>
    public string Json()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("id", ReportId);
            json.WriteString("name", "Organisation costs by account");
            json.WriteString("cadence", "daily");
            json.WriteString("groupBy", "LINKED_ACCOUNT");
            json.WriteStartArray("recipients");
            json.WriteStringValue(OrgRecipient);
            json.WriteEndArray();
            json.WriteStartObject("perAccount");
            json.WriteString("unowned", "skip");
            json.WriteStartArray("accounts");
            for (var i = 1; i <= AccountCount; i++)
            {
                json.WriteStartObject();
                json.WriteString("id", AccountId(i));
                json.WriteString("name", $"account-{i.ToString(CultureInfo.InvariantCulture)}");
                json.WriteStartArray("owners");
                json.WriteStringValue(OwnerOf(i));
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
