using System.Text;
using CostNotifier.Notifications;

namespace CostNotifier.Embedded.Outbox;

/// <summary>
/// The embedded default's Slack and Teams: instead of posting, it writes each message's payload into the outbox
/// beside the report's emails, as <c>&lt;time&gt;-&lt;destination&gt;-&lt;id8&gt;.slack.json</c> or <c>.teams.json</c>,
/// exactly the body a webhook would receive. No secret is read: the SSM parameter is only named in configuration.
/// </summary>
public sealed class OutboxChatSender : IChatSender
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly string _root;
    private readonly TimeProvider _time;

    /// <summary>Creates a sender writing below <paramref name="outboxDirectory"/>, created on first write.</summary>
    public OutboxChatSender(string outboxDirectory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outboxDirectory);
        ArgumentNullException.ThrowIfNull(time);
        _root = Path.GetFullPath(outboxDirectory);
        _time = time;
    }

    /// <inheritdoc />
    public async Task<string> SendAsync(OutgoingChatMessage message, CancellationToken cancellationToken)
    {
        // The id is the file name without .slack.json or .teams.json: the run summary finds the file from it.
        var name = Path.GetFileName(await WriteAsync(message, cancellationToken).ConfigureAwait(false));
        return name[..name.IndexOf('.', StringComparison.Ordinal)];
    }

    /// <summary>Writes the payload and returns the file's full path.</summary>
    /// <exception cref="ArgumentException">A tag cannot be used safely, or the payload is empty.</exception>
    public async Task<string> WriteAsync(OutgoingChatMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(message.Payload, nameof(message));
        var tags = message.Tags ?? new Dictionary<string, string>();
        OutboxEmailSender.ValidateTags(tags);

        var now = _time.GetUtcNow();
        var directory = OutboxEmailSender.DirectoryFor(_root, tags, now);
        Directory.CreateDirectory(directory);
        var id = Guid.NewGuid().ToString("N");
        var extension = message.Channel.IsSlack ? ".slack.json" : ".teams.json";
        var path = Path.Combine(directory, $"{OutboxEmailSender.Timestamp(now)}-{OutboxEmailSender.SafeRecipient(message.Channel.Key)}-{id[..8]}{extension}");
        await OutboxEmailSender.WriteAtomicallyAsync([(path, Utf8.GetBytes(message.Payload))], cancellationToken).ConfigureAwait(false);
        return path;
    }
}
