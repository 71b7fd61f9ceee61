using System.Globalization;
using System.Text.Json;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using CostNotifier.Embedded.Outbox;
using CostNotifier.Events;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.TestSupport;

namespace CostNotifier.IntegrationTests.EndToEnd;

/// <summary>
/// A per-account report through the three Lambda functions on the emulators: one Cost Explorer query by account and
/// service for twelve linked accounts, a share per account on its own stream, an email per share to its owners (or
/// the default recipients), and the organisation total to the report's own recipients; beside it an ordinary daily
/// report by service.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class PerAccountPipelineTests(EmulatorFixture emulators) : IAsyncLifetime
{
    private const string Day = "2026-11-24";
    private const string Request = "scheduled-2026-11-24";
    private static readonly DateTimeOffset ScheduledTime = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    // Twelve linked accounts: the first eight have owners, the last four none.
    private static readonly IReadOnlyList<string> Accounts =
    [
        "111111111101", "111111111102", "111111111103", "111111111104", "111111111105", "111111111106",
        "111111111107", "111111111108", "111111111109", "111111111110", "111111111111", "111111111112",
    ];

    private readonly string _suffix = Guid.NewGuid().ToString("N")[..8];
    private EmulatedPipeline _pipeline = null!;

    private string Report => $"org-{_suffix}";

    private string ServiceReport => $"by-service-{_suffix}";

    private string Finops => Address("finops");

    private string Platform => Address("platform");

    private string Unowned => Address("unowned");

    private IReadOnlyList<string> UnownedAccounts => Accounts.Skip(8).ToList();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_pipeline is not null)
        {
            await _pipeline.DisposeAsync();
        }
    }

    [Fact]
    public async Task PerAccountReport_UnownedToDefault_EmailsEachAccountsOwnersTheirShareAndTheOrganisationItsTotal()
    {
        _pipeline = await EmulatedPipeline.CreateAsync(emulators, ScheduledTime, accounts: Accounts);
        var functions = Functions(unowned: "default");

        var answer = await functions.RunScheduleAsync(ScheduledTime);

        Assert.Equal(Request, answer.GetProperty("requestId").GetString());
        var expected = ExpectedAccountEmails(unownedToDefault: true);
        await AssertAccountEmailsAsync(expected);
        await AssertOrganisationEmailAsync();
        await AssertServiceEmailAsync();

        // One query by account and service answered on one page; the report by service asks its own (two pages).
        Assert.Equal(1, PerAccountRequests());
        Assert.Equal(2, _pipeline.CostExplorer.Requests - PerAccountRequests());
        await AssertNoDeadLettersAsync();
    }

    [Fact]
    public async Task PerAccountReport_UnownedSkipped_SendsNothingForAccountsWithoutOwnersButCountsThemInTheTotal()
    {
        _pipeline = await EmulatedPipeline.CreateAsync(emulators, ScheduledTime, accounts: Accounts);
        var functions = Functions(unowned: "skip");

        await functions.RunScheduleAsync(ScheduledTime);

        await AssertAccountEmailsAsync(ExpectedAccountEmails(unownedToDefault: false));
        Assert.Empty(await _pipeline.EmailsToAsync(Unowned));
        foreach (var account in UnownedAccounts)
        {
            Assert.Empty(await _pipeline.EventsOfAsync(ShareOf(account), Day));
        }

        await AssertOrganisationEmailAsync();
        Assert.Equal(1, PerAccountRequests());
        await AssertNoDeadLettersAsync();
    }

    [Fact]
    public async Task PerAccountReport_AnsweredOverManyPages_MakesOneRequestPerPageAndStillAddsUpToTheCent()
    {
        const int maxGroups = 100;
        _pipeline = await EmulatedPipeline.CreateAsync(emulators, ScheduledTime, accounts: Accounts, maxGroupsPerPage: maxGroups);
        var functions = Functions(unowned: "default");

        await functions.RunScheduleAsync(ScheduledTime);

        // Every day of the query's window has a group per account and service.
        var first = _pipeline.CostExplorer.Received.First(r => IsByAccount(r.Body));
        using var request = JsonDocument.Parse(first.Body);
        var groups = CostExplorerResponses.RequestedSpans(request.RootElement).Count * Accounts.Count * CostExplorerStub.GroupsOf(ReportDate.Parse(Day)).Count;
        var pages = (groups + maxGroups - 1) / maxGroups;
        Assert.True(pages > 1, $"{groups} groups fit on one page of {maxGroups}");
        Assert.Equal(pages, PerAccountRequests());
        var snapshot = await SnapshotOfAsync(Report);
        Assert.Equal(pages, snapshot.CostSourceRequests);

        await AssertAccountEmailsAsync(ExpectedAccountEmails(unownedToDefault: true));
        await AssertOrganisationEmailAsync();
        await AssertNoDeadLettersAsync();
    }

    [Fact]
    public async Task TheScheduleFiringAgainTheSameDay_SendsNoEmailTwiceAndAsksCostExplorerNothing()
    {
        _pipeline = await EmulatedPipeline.CreateAsync(emulators, ScheduledTime, accounts: Accounts);
        var functions = Functions(unowned: "default");
        await functions.RunScheduleAsync(ScheduledTime);
        var emailsAfterFirst = (await AllEmailsAsync()).Count;
        var requestsAfterFirst = _pipeline.CostExplorer.Requests;
        var streamsAfterFirst = await ShareStreamLengthsAsync();

        _pipeline.Time.SetUtcNow(ScheduledTime.AddHours(2));
        await functions.RunScheduleAsync(ScheduledTime);

        Assert.Equal(ExpectedAccountEmails(unownedToDefault: true).Count + 2, emailsAfterFirst);
        Assert.Equal(emailsAfterFirst, (await AllEmailsAsync()).Count);
        Assert.Equal(requestsAfterFirst, _pipeline.CostExplorer.Requests);
        Assert.Equal(streamsAfterFirst, await ShareStreamLengthsAsync());
        await AssertNoDeadLettersAsync();
    }

    [Fact]
    public async Task SesDeliveryEvents_ForAnAccountsEmail_AreRecordedOnTheAccountsStream()
    {
        // SES allows only letters, digits, '_' and '-' in a message tag, so the share's id goes out with its dot
        // replaced; the event SES sends back carries the tag as SES holds it.
        _pipeline = await EmulatedPipeline.CreateAsync(emulators, ScheduledTime, withDeliveryQueue: true, accounts: Accounts);
        var functions = Functions(unowned: "default");
        await functions.RunScheduleAsync(ScheduledTime);
        var share = ShareOf(Accounts[2]);
        var sent = (await _pipeline.EventsOfAsync(share, Day)).OfType<NotificationSent>().ToList();
        Assert.Equal(2, sent.Count);
        var at = ScheduledTime.AddSeconds(5);
        foreach (var email in sent)
        {
            var asSesHoldsIt = new OutgoingEmail(
                "costs@example.com",
                email.Recipient,
                email.Subject,
                "<p>report</p>",
                "report",
                new Dictionary<string, string>
                {
                    ["report"] = share.Replace('.', '_'),
                    ["period"] = Day,
                    ["request"] = Request,
                    ["trigger"] = "scheduled",
                });
            await emulators.Sqs.SendMessageAsync(_pipeline.Delivery.Url, SesEventBodies.Delivery(asSesHoldsIt, email.ProviderMessageId, at, "250 2.0.0 OK"));
        }

        await LambdaPoller.DrainAsync(TimeSpan.FromSeconds(60), functions.DeliveryEvents!);

        var delivered = (await _pipeline.EventsOfAsync(share, Day)).OfType<NotificationDelivered>().ToList();
        Assert.Equal(sent.Select(s => s.Recipient).Order(), delivered.Select(d => d.Recipient).Order());
        Assert.Equal(0, await _pipeline.DepthAsync(_pipeline.Delivery.DeadLetterUrl));
        Assert.Equal(0, functions.DeliveryEvents!.Failures);
    }

    // The functions for ReportsJson. The notifier paces its sends on the pipeline's clock, which stands still here: a
    // send rate whose one-second burst covers every email of a run keeps it from waiting for a second that never comes.
    private PipelineFunctions Functions(string unowned) =>
        _pipeline.Functions(ReportsJson(unowned), new Dictionary<string, string?> { [EmailSendRate.MaxSendRateVariable] = "100" });

    // The per-account report (the organisation's recipient Finops, every account listed in its email) and a report
    // by service with the same (empty) filter. Account 1 has a configured name; accounts 1 and 2 share an owner;
    // account 3 has two owners; accounts 9 to 12 have none.
    private string ReportsJson(string unowned)
    {
        var accounts = new List<string>
        {
            $$"""{"id":"{{Accounts[0]}}","name":"payments","owners":["{{Address("alice")}}"]}""",
            $$"""{"id":"{{Accounts[1]}}","owners":["{{Address("alice")}}"]}""",
            $$"""{"id":"{{Accounts[2]}}","owners":["{{Address("bob")}}","{{Address("carol")}}"]}""",
        };
        accounts.AddRange(new[] { "dave", "erin", "frank", "grace", "heidi" }.Select((owner, i) =>
            $$"""{"id":"{{Accounts[3 + i]}}","owners":["{{Address(owner)}}"]}"""));
        var defaults = unowned == "default" ? $$""","defaultRecipients":["{{Unowned}}"]""" : string.Empty;
        var perAccount = $$"""{"unowned":"{{unowned}}"{{defaults}},"accounts":[{{string.Join(',', accounts)}}]}""";
        return $$$"""
            [
              {"id":"{{{Report}}}","name":"Cost by account","recipients":["{{{Finops}}}"],"groupBy":"LINKED_ACCOUNT","top":20,"perAccount":{{{perAccount}}}},
              {"id":"{{{ServiceReport}}}","name":"By service","recipients":["{{{Platform}}}"],"groupBy":"SERVICE"}
            ]
            """;
    }

    // Who gets which account's email.
    private List<(string Recipient, string Account)> ExpectedAccountEmails(bool unownedToDefault)
    {
        var expected = new List<(string, string)>
        {
            (Address("alice"), Accounts[0]),
            (Address("alice"), Accounts[1]),
            (Address("bob"), Accounts[2]),
            (Address("carol"), Accounts[2]),
        };
        expected.AddRange(new[] { "dave", "erin", "frank", "grace", "heidi" }.Select((owner, i) => (Address(owner), Accounts[3 + i])));
        if (unownedToDefault)
        {
            expected.AddRange(UnownedAccounts.Select(account => (Unowned, account)));
        }

        return expected;
    }

    private async Task AssertAccountEmailsAsync(List<(string Recipient, string Account)> expected)
    {
        var recipients = expected.Select(e => e.Recipient).Distinct().ToArray();
        var emails = await _pipeline.EmailsToAsync(recipients);
        var received = emails.Select(e => (Recipient: To(e), Subject: Subject(e))).ToList();

        // Exactly one email per owner and account, each subject naming the account and its total to the cent.
        Assert.Equal(expected.Count, received.Count);
        foreach (var (recipient, account) in expected)
        {
            var name = account == Accounts[0] ? "payments" : CostExplorerStub.NameOf(account);
            var title = $"Cost by account: {name} ({account})";
            var subject = Assert.Single(received, r => r.Recipient == recipient && r.Subject.Contains($"({account})", StringComparison.Ordinal)).Subject;
            Assert.Contains(title, subject, StringComparison.Ordinal);
            Assert.Contains(Dollars(AccountTotal(account)), subject, StringComparison.Ordinal);

            // The share's snapshot holds the account's day exactly as Cost Explorer answered it.
            var snapshot = await SnapshotOfAsync(ShareOf(account));
            Assert.Equal(AccountTotal(account), snapshot.Figures.Total);
            Assert.Equal(CostExplorerStub.GroupsOf(ReportDate.Parse(Day)).Count, snapshot.Figures.Groups.Count);
            Assert.Equal(0, snapshot.CostSourceRequests);
        }
    }

    private async Task AssertOrganisationEmailAsync()
    {
        var organisationTotal = Accounts.Sum(AccountTotal);
        Assert.Equal(Money.RoundToCents(CostExplorerStub.GroupsOf(ReportDate.Parse(Day)).Sum(g => g.Amount)), Money.RoundToCents(organisationTotal));
        var email = Assert.Single(await _pipeline.EmailsToAsync(Finops));
        var subject = Subject(email);
        Assert.StartsWith("[CostNotifier] Cost by account \u2014 ", subject, StringComparison.Ordinal);
        Assert.Contains(Dollars(organisationTotal), subject, StringComparison.Ordinal);
        var html = email.GetProperty("body").GetProperty("html").GetString()!;
        Assert.All(Accounts, account => Assert.Contains(account, html, StringComparison.Ordinal));

        var snapshot = await SnapshotOfAsync(Report);
        Assert.Equal(organisationTotal, snapshot.Figures.Total);
        Assert.Equal(Accounts.Order(), snapshot.Figures.Groups.Select(g => g.Key).Order());
        foreach (var account in Accounts)
        {
            Assert.Equal(AccountTotal(account), snapshot.Figures.Groups.Single(g => g.Key == account).Amount);
        }
    }

    private async Task AssertServiceEmailAsync()
    {
        var email = Assert.Single(await _pipeline.EmailsToAsync(Platform));
        var total = CostExplorerStub.GroupsOf(ReportDate.Parse(Day)).Sum(g => g.Amount);
        Assert.StartsWith("[CostNotifier] By service \u2014 ", Subject(email), StringComparison.Ordinal);
        Assert.Contains(Dollars(total), Subject(email), StringComparison.Ordinal);
    }

    private async Task AssertNoDeadLettersAsync()
    {
        Assert.Equal(0, await _pipeline.DepthAsync(_pipeline.Queues.CollectorDeadLetter));
        Assert.Equal(0, await _pipeline.DepthAsync(_pipeline.Queues.NotifierDeadLetter));
    }

    private async Task<CostSnapshotCollected> SnapshotOfAsync(string report)
    {
        var events = await _pipeline.EventsOfAsync(report, Day);
        return Assert.Single(events.OfType<CostSnapshotCollected>());
    }

    private async Task<List<int>> ShareStreamLengthsAsync()
    {
        var lengths = new List<int> { (await _pipeline.EventsOfAsync(Report, Day)).Count };
        foreach (var account in Accounts)
        {
            lengths.Add((await _pipeline.EventsOfAsync(ShareOf(account), Day)).Count);
        }

        return lengths;
    }

    private async Task<List<JsonElement>> AllEmailsAsync() =>
        await _pipeline.EmailsToAsync([.. ExpectedAccountEmails(unownedToDefault: true).Select(e => e.Recipient).Distinct(), Finops, Platform]);

    // The account's part of the day in the stub's answer, at full precision.
    private decimal AccountTotal(string account) =>
        _pipeline.CostExplorer.ByAccountGroupsOf(ReportDate.Parse(Day)).Where(g => g.Account == account).Sum(g => g.Amount);

    private int PerAccountRequests() => _pipeline.CostExplorer.Received.Count(r => IsByAccount(r.Body));

    private static bool IsByAccount(byte[] body)
    {
        using var request = JsonDocument.Parse(body);
        return CostExplorerResponses.AsksByAccount(request.RootElement);
    }

    private string ShareOf(string account) => $"{Report}.{account}";

    private string Address(string who) => $"{who}-{_suffix}@example.com";

    private static string Dollars(decimal amount) => "$" + Money.RoundToCents(amount).ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string To(JsonElement email) => email.GetProperty("destination").GetProperty("to")[0].GetString()!;

    private static string Subject(JsonElement email) => email.GetProperty("subject").GetString()!;
}
