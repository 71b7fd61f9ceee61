using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using CostNotifier.Aws;
using CostNotifier.Aws.Hosting;
using CostNotifier.BatchProcessing;
using CostNotifier.Collector.CostExplorer;
using CostNotifier.Configuration;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using CostNotifier.Embedded.Outbox;
using CostNotifier.Embedded.Queues;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using CostNotifier.Notifier.Ses;
using CostNotifier.Testing.Faults;
using CostNotifier.UnitTests.Email;
using CostNotifier.UnitTests.Reliability;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace CostNotifier.UnitTests.Hostile;

/// <summary>
/// Every case of <c>Hostile/cases.json</c> against the real code: queue messages beside a valid neighbour in one
/// invocation, raw Lambda SQS events, Cost Explorer responses through the real client over HTTP and on through the
/// pipeline to the email, report configurations, emails and sender addresses. A case passes when its outcome is
/// the expected one — a clear error and the message in its DLQ with the reason, or handled — and the batch, the
/// neighbours and the store are unharmed.
/// </summary>
public sealed class HostileInputTests
{
    private const int GmailClipBytes = 102 * 1024;

    private static readonly ReportCatalog Reports = ReportConfiguration.Parse("""
        [
          { "id": "by-service", "name": "By service", "recipients": ["finops@example.com"], "groupBy": "SERVICE" },
          { "id": "by-team", "name": "By team", "recipients": ["platform@example.com"], "groupBy": "TAG:team" }
        ]
        """);

    public static TheoryData<string> Cases => [.. HostileCase.Catalogue.Keys];

    [Fact]
    public void Catalogue_HoldsAtLeastFortyCases_EachWithAKnownKindAndExpectation()
    {
        var cases = HostileCase.Catalogue.Values.ToList();

        Assert.True(cases.Count >= 40, $"only {cases.Count} cases");
        Assert.All(cases, c => Assert.Contains(c.Kind, new[] { "queue-message", "sqs-event", "cost-explorer", "report-config", "email", "sender-address" }));
        Assert.All(cases, c => Assert.Contains(c.Expect, new[] { "dead-letter", "dead-letter-after-retries", "handled", "rejected", "invocation-error", "batch-response" }));
        Assert.All(cases.Where(c => c.Expect is "dead-letter" or "dead-letter-after-retries" or "rejected" or "invocation-error"), c => Assert.False(string.IsNullOrEmpty(c.Reason), $"{c.Id} names no reason"));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileInput_HasItsExpectedOutcome_AndHarmsNothingElse(string id)
    {
        var hostile = HostileCase.Catalogue[id];
        switch (hostile.Kind)
        {
            case "queue-message":
                await QueueMessageAsync(hostile);
                break;
            case "sqs-event":
                await SqsEventAsync(hostile);
                break;
            case "cost-explorer":
                await CostExplorerResponseAsync(hostile);
                break;
            case "report-config":
                ReportConfigurationCase(hostile);
                break;
            case "email":
                await EmailCaseAsync(hostile);
                break;
            case "sender-address":
                var error = Assert.Throws<InvalidOperationException>(() =>
                    FunctionSettings.From(new Dictionary<string, string?> { ["COSTNOTIFIER_SENDER_ADDRESS"] = hostile.Text("value") }).SenderAddress);
                Assert.Contains(hostile.Reason!, error.Message, StringComparison.OrdinalIgnoreCase);
                break;
            default:
                Assert.Fail($"case {id} has an unknown kind '{hostile.Kind}'");
                break;
        }
    }

    private static async Task QueueMessageAsync(HostileCase hostile)
    {
        // Arrange: valid neighbours in the same queue (both reports' scheduled messages, or their announcements).
        using var pipeline = new FaultyEmbeddedStack(Reports, new FaultSession(0, FaultRates.None));
        var queue = hostile.Text("queue") == "notifier" ? LocalQueue.Notifier : LocalQueue.Collector;
        await pipeline.ScheduleAsync(HostileCase.Yesterday);
        if (queue == LocalQueue.Notifier)
        {
            Assert.Empty((await pipeline.InvokeAsync(LocalQueue.Collector, await pipeline.ReceiveAsync(LocalQueue.Collector, TimeSpan.FromMinutes(6)))).BatchItemFailures);
        }

        var hostileId = await pipeline.Queues.SendAsync(queue, hostile.Body(), CancellationToken.None);
        var batch = await pipeline.ReceiveAsync(queue, TimeSpan.FromMinutes(6));
        Assert.Equal(3, batch.Count);

        // Act: one invocation carries the hostile message and its neighbours.
        var response = await pipeline.InvokeAsync(queue, batch);

        // Assert: nothing needs a retry; the hostile message is in the DLQ at once with its reason, or was handled.
        Assert.Empty(response.BatchItemFailures);
        var dead = await pipeline.Queues.ListDeadLettersAsync(queue.PipelineQueue, 10, CancellationToken.None);
        if (hostile.Expect == "dead-letter")
        {
            var message = Assert.Single(dead);
            Assert.Equal(hostileId, message.MessageId);
            Assert.Contains(hostile.Reason!, message.Reason, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.Equal("handled", hostile.Expect);
            Assert.Empty(dead);
        }

        await AssertNeighboursCompleteAndStoreIsSoundAsync(pipeline);
    }

    private static async Task SqsEventAsync(HostileCase hostile)
    {
        using var pipeline = new FaultyEmbeddedStack(Reports, PipelineSession());
        var payload = hostile.Text("raw") ?? HostileCase.Fill(hostile.Json.GetProperty("event").GetRawText());
        if (hostile.Text("fault") == "cost-source-transient")
        {
            pipeline.Session.Plan = (_, seam, _) => seam == Seam.CostSource ? FaultKind.Transient : null;
        }

        Stream? output = null;
        Exception? error = null;
        await pipeline.AsWorkerAsync("lambda", async () =>
        {
            try
            {
                using var input = new MemoryStream(Encoding.UTF8.GetBytes(payload));
                output = await LambdaSqsHandler.HandleAsync(input, pipeline.Collector, CancellationToken.None);
            }
            catch (InvalidDataException ex)
            {
                error = ex;
            }
        });

        if (hostile.Expect == "invocation-error")
        {
            // The invocation fails as a whole: Lambda retries the batch and the queue's redrive policy ends it.
            Assert.NotNull(error);
            Assert.Contains(hostile.Reason!, error.Message, StringComparison.OrdinalIgnoreCase);
            return;
        }

        Assert.Null(error);
        var response = JsonSerializer.Deserialize(output!, LambdaJsonContext.Default.SqsBatchResponse)!;
        Assert.Equal(hostile.Strings("failures"), response.BatchItemFailures.Select(f => f.ItemIdentifier));
        var dead = await pipeline.Queues.ListDeadLettersAsync(PipelineQueue.Collector, 10, CancellationToken.None);
        if (hostile.Reason is { } reason)
        {
            var message = Assert.Single(dead);
            Assert.Contains(reason, message.Reason, StringComparison.OrdinalIgnoreCase);
            Assert.False(string.IsNullOrEmpty(message.MessageId));
        }

        await AssertStoreIsSoundAsync(pipeline);

        static FaultSession PipelineSession() => new(0, FaultRates.None);
    }

    private static async Task CostExplorerResponseAsync(HostileCase hostile)
    {
        // Arrange: the real Cost Explorer client, signed requests over HTTP, against the scripted answer.
        var groupBy = hostile.Text("groupBy") ?? "SERVICE";
        var report = groupBy == "SERVICE" ? "by-service" : "by-team";
        var recipient = Reports.Get(ReportId.Parse(report)).Recipients[0];
        var catalog = ReportConfiguration.Parse($$"""[{ "id": "{{report}}", "name": "Daily cost", "recipients": ["{{recipient}}"], "groupBy": "{{groupBy}}", "top": 10 }]""");
        await using var server = new LoopbackCostExplorer(() => ResponseOf(hostile), hostile.Text("rawResponse") is null ? "application/x-amz-json-1.1" : "text/html");
        using var client = new CostExplorerClient(
            new AwsConnection(Region: "us-east-1", Credentials: new BasicAWSCredentials("AKIDEXAMPLE", "hostile-test-secret"), ServiceEndpoints: new Dictionary<string, string> { [AwsConnection.Services.CostExplorer] = server.Url }),
            NullLogger<CostExplorerClient>.Instance);
        using var pipeline = new FaultyEmbeddedStack(catalog, new FaultSession(0, FaultRates.None), costSource: client);

        // Act: the scheduled run of yesterday, to the end.
        await pipeline.ScheduleAsync(HostileCase.Yesterday);
        WorkerContext.Enter(null);
        await pipeline.Stack.Runner.DrainAsync(CancellationToken.None);

        // Assert
        Assert.True(server.Requests >= 1);
        var stream = await pipeline.Events.ReadStreamAsync(new StreamId(ReportId.Parse(report), HostileCase.Yesterday), CancellationToken.None);
        var dead = await pipeline.Queues.ListDeadLettersAsync(PipelineQueue.Collector, 10, CancellationToken.None);
        if (hostile.Expect is "dead-letter" or "dead-letter-after-retries")
        {
            // Refused for good: one request; or not there yet: one request per receive the queue allows. Either way
            // the message is in the DLQ with the reason and nothing is half-written or sent.
            Assert.Equal(hostile.Expect == "dead-letter" ? 1 : pipeline.Queues.MaxReceiveCount, server.Requests);
            Assert.Contains(hostile.Reason!, Assert.Single(dead).Reason, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(stream);
            Assert.Empty(pipeline.Email.Sent);
            return;
        }

        Assert.Empty(dead);
        Assert.Empty(await pipeline.Queues.ListDeadLettersAsync(PipelineQueue.Notifier, 10, CancellationToken.None));
        Assert.Null(StreamAudit.Check(new StreamId(ReportId.Parse(report), HostileCase.Yesterday), stream));
        var email = Assert.Single(pipeline.Email.Sent);
        await AssertEmailIsSafeAsync(email, recipient);

        var page = RenderedReportPage.Parse(email.Html);
        foreach (var shown in hostile.Strings("shows"))
        {
            Assert.Contains(shown, email.Text, StringComparison.Ordinal);
            Assert.Contains(shown, page.Document.Body!.TextContent, StringComparison.Ordinal);
        }

        if (hostile.Text("row") is { } row)
        {
            Assert.Equal(row, page.GroupRows[0].Name);
            Assert.Contains(row, email.Text, StringComparison.Ordinal);
        }
    }

    private static string ResponseOf(HostileCase hostile)
    {
        if (hostile.Text("rawResponse") is { } raw)
        {
            return raw;
        }

        if (hostile.Number("longKey") is { } length)
        {
            return LoopbackCostExplorer.OneDay([(string.Concat(Enumerable.Repeat("<i>Amazon&amp;", length / 13 + 1))[..length], 12.5m), ("AWS Lambda", 1m)]);
        }

        if (hostile.Number("manyGroups") is { } count)
        {
            return LoopbackCostExplorer.OneDay(Enumerable.Range(0, count).Select(i => ($"Service <{i}> & \"co\"", 1000m - i * 1.37m)));
        }

        return hostile.Json.GetProperty("response").GetRawText();
    }

    /// <summary>Escaped HTML, one-line subject, no injected header, under Gmail's clipping limit.</summary>
    private static async Task AssertEmailIsSafeAsync(OutgoingEmail email, string recipient)
    {
        Assert.Equal(recipient, email.To);
        Assert.True(email.Subject.AsSpan().IndexOfAny('\r', '\n') < 0, "the subject holds a line break");
        Assert.DoesNotContain('\u202E', email.Subject);
        Assert.True(Encoding.UTF8.GetByteCount(email.Html) < GmailClipBytes, $"the HTML is {Encoding.UTF8.GetByteCount(email.Html)} bytes");

        var page = RenderedReportPage.Parse(email.Html);
        Assert.Empty(page.Document.QuerySelectorAll("script, img, iframe, object, embed, form, a[href], link, style[src]"));
        Assert.DoesNotContain(page.Document.All.SelectMany(e => e.Attributes), a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain('\u202E', email.Html);
        Assert.DoesNotContain('\u202E', email.Text);

        // The same email as a real MIME message: one recipient, no Bcc/Cc, the subject exactly as rendered.
        var outbox = Path.Combine(FaultyEmbeddedStack.ScratchRoot, "costnotifier-hostile", Guid.NewGuid().ToString("N"));
        try
        {
            var entry = await new OutboxEmailSender(outbox, TimeProvider.System).WriteAsync(email, CancellationToken.None);
            var message = await MimeMessage.LoadAsync(entry.EmlPath);
            Assert.Equal([recipient], message.To.Mailboxes.Select(m => m.Address));
            Assert.Empty(message.Cc);
            Assert.Empty(message.Bcc);
            Assert.Equal(email.Subject, message.Subject);
            Assert.Single(message.Headers, h => h.Id == HeaderId.Subject);
            Assert.DoesNotContain(message.Headers, h => h.Field.StartsWith("X-Injected", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            if (Directory.Exists(outbox))
            {
                Directory.Delete(outbox, recursive: true);
            }
        }
    }

    private static void ReportConfigurationCase(HostileCase hostile)
    {
        var json = hostile.Number("manyRecipients") is { } count
            ? JsonSerializer.Serialize(new[] { new { id = "r", name = "R", recipients = Enumerable.Range(0, count).Select(i => $"u{i}@example.com"), groupBy = "SERVICE" } })
            : hostile.Json.GetProperty("config").GetRawText();

        var error = Assert.Throws<FormatException>(() => ReportConfiguration.Parse(json));

        Assert.Equal("rejected", hostile.Expect);
        Assert.Contains(hostile.Reason!, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task EmailCaseAsync(HostileCase hostile)
    {
        var fields = hostile.Json.GetProperty("email");
        var email = new OutgoingEmail(
            fields.GetProperty("from").GetString()!,
            fields.GetProperty("to").GetString()!,
            fields.GetProperty("subject").GetString()!,
            "<p>report</p>",
            "report",
            new Dictionary<string, string> { ["report"] = "by-service", ["period"] = HostileCase.Yesterday.ToString() });
        var outbox = Path.Combine(FaultyEmbeddedStack.ScratchRoot, "costnotifier-hostile", Guid.NewGuid().ToString("N"));
        using var ses = new SesV2EmailSender(
            new AwsConnection(Region: "us-east-1", Credentials: new BasicAWSCredentials("AKIDEXAMPLE", "hostile-test-secret"), ServiceEndpoints: new Dictionary<string, string> { [AwsConnection.Services.SesV2] = "http://127.0.0.1:9" }),
            new SesV2Options(null),
            NullLogger<SesV2EmailSender>.Instance);

        // Both providers refuse before anything is written or sent, and the batch processor treats it as permanent.
        var outboxError = await Assert.ThrowsAnyAsync<ArgumentException>(() => new OutboxEmailSender(outbox, TimeProvider.System).SendAsync(email, CancellationToken.None));
        var sesError = await Assert.ThrowsAnyAsync<ArgumentException>(() => ses.SendAsync(email, CancellationToken.None));

        Assert.Equal("rejected", hostile.Expect);
        Assert.Contains(hostile.Reason!, outboxError.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(hostile.Reason!, sesError.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(outbox) && Directory.EnumerateFiles(outbox, "*", SearchOption.AllDirectories).Any());
        Assert.NotNull(SqsBatchProcessor.PermanentFailure(sesError));
    }

    /// <summary>Drains both queues without faults: both reports' scheduled emails go out, the store stays sound.</summary>
    private static async Task AssertNeighboursCompleteAndStoreIsSoundAsync(FaultyEmbeddedStack pipeline)
    {
        WorkerContext.Enter(null);
        await pipeline.Stack.Runner.DrainAsync(CancellationToken.None);
        var scheduled = pipeline.Email.Sent.Where(e => e.Tags["request"] == RequestId.Scheduled(HostileCase.Yesterday).Value).ToList();
        Assert.Equal(["finops@example.com", "platform@example.com"], scheduled.Select(e => e.To).Order(StringComparer.Ordinal));
        Assert.All(pipeline.Email.Sent, e => Assert.Contains(e.To, new[] { "finops@example.com", "platform@example.com" }));
        await AssertStoreIsSoundAsync(pipeline);
    }

    /// <summary>Only yesterday's streams exist, each numbered 1..n and readable.</summary>
    private static async Task AssertStoreIsSoundAsync(FaultyEmbeddedStack pipeline)
    {
        foreach (var report in Reports.Reports)
        {
            var events = await pipeline.History.ReadReportAsync(report.Id, DateRange.Inclusive(new ReportDate(1, 1, 1), new ReportDate(9999, 12, 30)), CancellationToken.None);
            Assert.All(events, e => Assert.Equal(HostileCase.Yesterday, e.Stream.Period));
            Assert.Null(StreamAudit.Check(new StreamId(report.Id, HostileCase.Yesterday), events));
        }
    }
}
