using CostNotifier.Claims;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using CostNotifier.Embedded.SampleCost;
using CostNotifier.Embedded.Storage;
using CostNotifier.EventStore;
using CostNotifier.Messaging;
using Microsoft.Extensions.Time.Testing;

namespace CostNotifier.UnitTests.Handlers;

/// <summary>Real SQLite stores in a temp directory, with recording stand-ins for the queue, cost source and email.</summary>
internal sealed class HandlerTestBed : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "costnotifier-handlers-" + Guid.NewGuid().ToString("N"));

    public HandlerTestBed()
    {
        Database = new SqliteDatabase(_directory);
        Events = new SqliteEventStore(Database);
        Claims = new SqliteClaimStore(Database, Time);
        Costs = new CountingCostSource(new SampleCostSource(Time));
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));

    public SqliteDatabase Database { get; }

    public IEventStore Events { get; }

    public IClaimStore Claims { get; }

    public CountingCostSource Costs { get; }

    public RecordingPublisher Publisher { get; } = new();

    public RecordingEmailSender Email { get; } = new();

    public Testing.Faults.RecordingChatSender Chat { get; } = new();

    public static ReportCatalog Catalog { get; } = new(
    [
        new ReportDefinition(ReportId.Parse("daily"), "Daily", ["a@example.com", "b@example.com"], GroupBy.Service, 10, []),
        new ReportDefinition(ReportId.Parse("accounts"), "Accounts", ["a@example.com"], GroupBy.LinkedAccount, 5, []),
    ]);

    public void Dispose()
    {
        Database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    internal sealed class CountingCostSource(ICostSource inner) : ICostSource
    {
        public int Calls { get; private set; }

        public Func<CostQuery, CostQueryResult, CostQueryResult> Transform { get; set; } = (_, result) => result;

        public async Task<CostQueryResult> GetCostAsync(CostQuery query, CancellationToken cancellationToken)
        {
            Calls++;
            return Transform(query, await inner.GetCostAsync(query, cancellationToken));
        }
    }

    internal sealed class RecordingPublisher : IMessagePublisher
    {
        public List<(PipelineQueue Queue, string Body)> Sent { get; } = [];

        public Task<IReadOnlyList<string>> PublishAsync(PipelineQueue queue, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
        {
            Sent.AddRange(messages.Select(m => (queue, m.Body)));
            return Task.FromResult<IReadOnlyList<string>>(messages.Select(_ => Guid.NewGuid().ToString()).ToList());
        }
    }

    internal sealed class RecordingEmailSender : IEmailSender
    {
        public List<OutgoingEmail> Sent { get; } = [];

        public HashSet<string> Rejecting { get; } = new(StringComparer.Ordinal);

        public Task<string> SendAsync(OutgoingEmail email, CancellationToken cancellationToken)
        {
            if (Rejecting.Contains(email.To))
            {
                throw new EmailRejectedException($"MessageRejected: {email.To} bounced");
            }

            Sent.Add(email);
            return Task.FromResult("ses-" + Sent.Count);
        }
    }
}
