using CostNotifier.Configuration;
using CostNotifier.Domain;

namespace CostNotifier.UnitTests.Config;

/// <summary>A per-account report's <c>perAccount</c> block: what it reads, and how each mistake is named.</summary>
public sealed class PerAccountConfigurationTests
{
    private const string Accounts = """
        "accounts": [
          { "id": "111122223333", "name": " payments ", "owners": ["pay@example.com", "PAY@example.com", "lead@example.com"] },
          { "id": "012345678901" },
          { "id": "444455556666", "name": "sandbox" }
        ]
        """;

    private static string Report(string perAccount, string groupBy = "LINKED_ACCOUNT", string id = "org", string recipients = "") =>
        $$"""[{ "id": "{{id}}", "name": "Org", "recipients": [{{recipients}}], "groupBy": "{{groupBy}}", "perAccount": { {{perAccount}} } }]""";

    private static string Refusal(string json) => Assert.Throws<FormatException>(() => ReportConfiguration.Parse(json)).Message;

    [Fact]
    public void APerAccountReport_IsReadWithItsAccountsNamesAndOwners()
    {
        var report = Assert.Single(ReportConfiguration.Parse(Report($$"""
            "unowned": "default", "defaultRecipients": ["cloud@example.com", "CLOUD@example.com"], {{Accounts}}
            """)).Reports);

        var settings = Assert.IsType<PerAccountSettings>(report.PerAccount);
        Assert.Empty(report.Recipients);
        Assert.Equal(UnownedAccounts.Default, settings.Unowned);
        Assert.Equal(["cloud@example.com"], settings.DefaultRecipients);
        Assert.Equal(["012345678901", "111122223333", "444455556666"], settings.Accounts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("payments", settings.Accounts["111122223333"].Name);
        Assert.Equal(["pay@example.com", "lead@example.com"], settings.Accounts["111122223333"].Owners);
        Assert.Null(settings.Accounts["012345678901"].Name);
        Assert.Empty(settings.Accounts["012345678901"].Owners);
        Assert.Equal(["cloud@example.com"], settings.RecipientsOf("444455556666"));
        Assert.Equal(["cloud@example.com"], settings.RecipientsOf("999999999999"));
        Assert.Equal(["pay@example.com", "lead@example.com"], settings.RecipientsOf("111122223333"));
    }

    [Fact]
    public void UnownedAccounts_AreSkippedUnlessSaidOtherwise()
    {
        var settings = Assert.Single(ReportConfiguration.Parse(Report(Accounts, recipients: "\"finance@example.com\"")).Reports).PerAccount!;

        Assert.Equal(UnownedAccounts.Skip, settings.Unowned);
        Assert.Empty(settings.DefaultRecipients);
        Assert.False(settings.Reports("444455556666"));
        Assert.False(settings.Reports("999999999999"));
        Assert.True(settings.Reports("111122223333"));
    }

    [Theory]
    [InlineData("\"unowned\": \"default\", \"defaultRecipients\": [\"cloud@example.com\"]")]
    [InlineData("\"unowned\": \"skip\"")]
    [InlineData("")]
    public void APerAccountReport_SerializedAndParsedAgain_IsTheSame(string unowned)
    {
        var perAccount = unowned.Length == 0 ? Accounts : unowned + ", " + Accounts;
        var catalog = ReportConfiguration.Parse(Report(perAccount, recipients: "\"finance@example.com\""));

        var again = ReportConfiguration.Parse(ReportConfiguration.Serialize(catalog));

        var (before, after) = (Assert.Single(catalog.Reports), Assert.Single(again.Reports));
        Assert.Equal((before.Id, before.Name, before.GroupBy), (after.Id, after.Name, after.GroupBy));
        Assert.Equal(before.Recipients, after.Recipients);
        Assert.Equal(before.PerAccount!.Unowned, after.PerAccount!.Unowned);
        Assert.Equal(before.PerAccount.DefaultRecipients, after.PerAccount.DefaultRecipients);
        Assert.Equal(before.PerAccount.Accounts.Keys.Order(StringComparer.Ordinal), after.PerAccount.Accounts.Keys.Order(StringComparer.Ordinal));
        foreach (var (account, settings) in before.PerAccount.Accounts)
        {
            Assert.Equal(settings.Name, after.PerAccount.Accounts[account].Name);
            Assert.Equal(settings.Owners, after.PerAccount.Accounts[account].Owners);
        }
    }

    [Theory]
    [InlineData("\"accounts\": [{ \"id\": \"12345\" }]", "report 'org': perAccount.accounts[0].id '12345' must be a 12-digit AWS account id")]
    [InlineData("\"accounts\": [{ \"id\": \"11112222333a\" }]", "report 'org': perAccount.accounts[0].id '11112222333a' must be a 12-digit AWS account id")]
    [InlineData("\"accounts\": [{ \"name\": \"nameless\" }]", "report 'org': perAccount.accounts[0].id '' must be a 12-digit AWS account id")]
    [InlineData("\"accounts\": [{ \"id\": \"111122223333\" }, { \"id\": \"111122223333\", \"owners\": [\"a@example.com\"] }]", "report 'org': perAccount: account 111122223333: the account is listed more than once")]
    [InlineData("\"accounts\": [{ \"id\": \"111122223333\", \"owners\": [\"a@example.com\", \"not-an-address\"] }]", "report 'org': perAccount: account 111122223333: owners[1] 'not-an-address' is not a valid email address")]
    [InlineData("\"accounts\": [{ \"id\": \"111122223333\", \"name\": \"line\\nbreak\" }]", "report 'org': perAccount: account 111122223333: name must be at most 100 characters without line breaks")]
    [InlineData("\"unowned\": \"nobody\"", "report 'org': perAccount.unowned 'nobody' must be skip (no email for an account without owners) or default (send it to defaultRecipients)")]
    [InlineData("\"unowned\": \"default\"", "report 'org': perAccount.defaultRecipients must list 1 to 50 addresses when unowned is default")]
    [InlineData("\"unowned\": \"default\", \"defaultRecipients\": []", "report 'org': perAccount.defaultRecipients must list 1 to 50 addresses when unowned is default")]
    [InlineData("\"defaultRecipients\": [\"cloud@example.com\"]", "report 'org': perAccount.defaultRecipients is only used when unowned is default")]
    [InlineData("\"unowned\": \"skip\", \"defaultRecipients\": [\"cloud@example.com\"]", "report 'org': perAccount.defaultRecipients is only used when unowned is default")]
    [InlineData("\"unowned\": \"default\", \"defaultRecipients\": [\"cloud at example.com\"]", "report 'org': perAccount.defaultRecipients[0] 'cloud at example.com' is not a valid email address")]
    public void AMistakeInPerAccount_IsRefusedNamingReportAndField(string perAccount, string expected)
    {
        Assert.Contains(expected, Refusal(Report(perAccount)), StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyDefaultRecipientsOrOwners_AreRefusedNamingTheField()
    {
        var many = string.Join(", ", Enumerable.Range(0, 51).Select(i => $"\"u{i}@example.com\""));

        Assert.Contains(
            "report 'org': perAccount.defaultRecipients must list 1 to 50 addresses when unowned is default",
            Refusal(Report($"\"unowned\": \"default\", \"defaultRecipients\": [{many}]")),
            StringComparison.Ordinal);
        Assert.Contains(
            "report 'org': perAccount: account 111122223333: owners lists 51 addresses; at most 50 are allowed",
            Refusal(Report($"\"accounts\": [{{ \"id\": \"111122223333\", \"owners\": [{many}] }}]")),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SERVICE")]
    [InlineData("TAG:team")]
    public void APerAccountReportNotGroupedByAccount_IsRefused(string groupBy)
    {
        Assert.Contains(
            $"report 'org': groupBy '{groupBy}' must be LINKED_ACCOUNT for a per-account report",
            Refusal(Report(Accounts, groupBy)),
            StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongGroupBy_IsNamed_EvenWhenTheAccountsHaveProblemsOfTheirOwn()
    {
        var message = Refusal(Report("""
            "accounts": [{ "id": "12345" }]
            """, "SERVICE"));

        Assert.Contains("groupBy 'SERVICE' must be LINKED_ACCOUNT", message, StringComparison.Ordinal);
        Assert.Contains("accounts[0].id '12345' must be a 12-digit AWS account id", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AConfiguredReportIdWithAnAccountPart_IsRefused()
    {
        Assert.Contains(
            "reports[0].id 'org.111122223333' must be 1-63 lowercase letters, digits or '-'",
            Refusal(Report(Accounts, id: "org.111122223333")),
            StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralMistakes_AreAllListedAtOnce()
    {
        var message = Refusal(Report("""
            "unowned": "always",
            "accounts": [
              { "id": "111122223333", "owners": ["bad"] },
              { "id": "111122223333" },
              { "id": "42" }
            ]
            """));

        Assert.Contains("perAccount.unowned 'always'", message, StringComparison.Ordinal);
        Assert.Contains("account 111122223333: owners[0] 'bad' is not a valid email address", message, StringComparison.Ordinal);
        Assert.Contains("account 111122223333: the account is listed more than once", message, StringComparison.Ordinal);
        Assert.Contains("perAccount.accounts[2].id '42'", message, StringComparison.Ordinal);
    }
}
