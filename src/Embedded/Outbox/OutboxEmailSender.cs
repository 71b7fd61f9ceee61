using System.Globalization;
using System.Text;
using CostNotifier.Domain;
using CostNotifier.EmailSending;
using MimeKit;

namespace CostNotifier.Embedded.Outbox;

/// <summary>The files one email was written to.</summary>
/// <param name="MessageId">The MIME Message-ID, without angle brackets; also what <see cref="OutboxEmailSender.SendAsync"/> returns.</param>
/// <param name="HtmlPath">Full path of the HTML part.</param>
/// <param name="TextPath">Full path of the plain-text part.</param>
/// <param name="EmlPath">Full path of the complete MIME message.</param>
public sealed record OutboxEntry(string MessageId, string HtmlPath, string TextPath, string EmlPath);

/// <summary>
/// The embedded default's email provider: instead of sending, it writes each email into an outbox directory as
/// <c>.html</c>, <c>.txt</c> and a real multipart/alternative <c>.eml</c> that any mail client opens.
/// <para>
/// Layout: <c>&lt;outbox&gt;/&lt;date&gt;/&lt;report&gt;/&lt;yyyyMMddTHHmmssfffZ&gt;-&lt;recipient&gt;-&lt;id8&gt;.{html,txt,eml}</c>,
/// where the date is the <c>date</c> tag (the report's usage day) or today in UTC, the report folder is the
/// <c>report</c> tag when present, the recipient is reduced to file-name-safe characters and id8 is the start of
/// the Message-ID. Names sort by the time they were written.
/// </para>
/// <para>
/// Each file is written to a hidden temporary name, flushed to disk and renamed, so no reader ever sees half a
/// file. The <c>.eml</c> is renamed last: after a crash between renames its absence marks an incomplete email.
/// </para>
/// </summary>
public sealed class OutboxEmailSender : IEmailSender
{
    /// <summary>The tag naming the report's period: a usage day (yyyy-MM-dd), an ISO week (yyyy-Www) or a month (yyyy-MM).</summary>
    public const string PeriodTag = "period";

    /// <summary>The tag naming the report id.</summary>
    public const string ReportTag = "report";

    private const string FallbackDomain = "costnotifier.local";
    private const int MaxRecipientLength = 64;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _root;
    private readonly TimeProvider _time;

    /// <summary>Creates a sender writing below <paramref name="outboxDirectory"/>, created on first write.</summary>
    public OutboxEmailSender(string outboxDirectory, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outboxDirectory);
        ArgumentNullException.ThrowIfNull(time);
        _root = Path.GetFullPath(outboxDirectory);
        _time = time;
    }

    /// <summary>The full path of the outbox directory.</summary>
    public string OutboxDirectory => _root;

    /// <inheritdoc />
    public async Task<string> SendAsync(OutgoingEmail email, CancellationToken cancellationToken) =>
        (await WriteAsync(email, cancellationToken).ConfigureAwait(false)).MessageId;

    /// <summary>Writes the email's three files and says where they are.</summary>
    /// <exception cref="ArgumentException">
    /// An address or the subject contains a line break or other control character, an address is not a single
    /// mailbox, or a tag cannot be used safely (a <c>date</c> that is not yyyy-MM-dd, a <c>report</c> that is not a report id).
    /// </exception>
    public async Task<OutboxEntry> WriteAsync(OutgoingEmail email, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        var from = ParseMailbox(email.From, "From");
        var to = ParseMailbox(email.To, "To");
        RejectControlCharacters(email.Subject, "The subject");
        ArgumentNullException.ThrowIfNull(email.Html, nameof(email));
        ArgumentNullException.ThrowIfNull(email.Text, nameof(email));
        var tags = email.Tags ?? new Dictionary<string, string>();
        ValidateTags(tags);

        var now = _time.GetUtcNow();
        var id = Guid.NewGuid().ToString("N");
        var messageId = id + "@" + (IsDomain(from.Domain) ? from.Domain : FallbackDomain);
        var message = BuildMessage(email, from, to, tags, messageId, now);

        var directory = DirectoryFor(tags, now);
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, $"{Timestamp(now)}-{SafeRecipient(to.Address)}-{id[..8]}");
        var entry = new OutboxEntry(messageId, stem + ".html", stem + ".txt", stem + ".eml");

        await WriteAtomicallyAsync(
            [
                (entry.HtmlPath, Utf8.GetBytes(email.Html)),
                (entry.TextPath, Utf8.GetBytes(email.Text)),
                (entry.EmlPath, Serialize(message)),
            ],
            cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>
    /// Finds the files of an email written earlier by its message id: the id <see cref="SendAsync"/> returned and
    /// <c>NotificationSent.ProviderMessageId</c> records. Null when the outbox holds no complete email with that id.
    /// Stateless, so any instance over the same directory can answer, however many wrote concurrently.
    /// </summary>
    public OutboxEntry? Find(string messageId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var id = messageId.Trim().Trim('<', '>');
        var at = id.IndexOf('@', StringComparison.Ordinal);
        var local = at >= 0 ? id[..at] : id;
        if (local.Length < 8 || !local.All(char.IsAsciiHexDigitLower) || !Directory.Exists(_root))
        {
            return null;
        }

        // The file name carries the first eight hex digits; the Message-ID header settles the rare shared prefix.
        foreach (var eml in Directory.EnumerateFiles(_root, "*-" + local[..8] + ".eml", SearchOption.AllDirectories))
        {
            var headers = HeaderList.Load(eml);
            var written = headers[HeaderId.MessageId]?.Trim().Trim('<', '>');
            if (string.Equals(written, id, StringComparison.Ordinal))
            {
                var stem = eml[..^".eml".Length];
                return new OutboxEntry(id, stem + ".html", stem + ".txt", eml);
            }
        }

        return null;
    }

    /// <summary>Reduces a recipient to letters, digits and <c>@._+-</c> so it is a safe file name part on every system.</summary>
    public static string SafeRecipient(string recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var builder = new StringBuilder(Math.Min(recipient.Length, MaxRecipientLength));
        foreach (var c in recipient.ToLowerInvariant())
        {
            if (builder.Length == MaxRecipientLength)
            {
                break;
            }

            var keep = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '@' or '.' or '+' or '-';
            if (keep)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        var safe = builder.ToString().Trim('.', '_', '-');
        return safe.Length > 0 ? safe : "recipient";
    }

    private string DirectoryFor(IReadOnlyDictionary<string, string> tags, DateTimeOffset now) => DirectoryFor(_root, tags, now);

    /// <summary>The folder of a message below <paramref name="root"/>: <c>&lt;period&gt;/&lt;report&gt;</c> from its tags.</summary>
    internal static string DirectoryFor(string root, IReadOnlyDictionary<string, string> tags, DateTimeOffset now)
    {
        var day = tags.TryGetValue(PeriodTag, out var period) ? period : ReportDate.FromInstant(now).ToString();
        return tags.TryGetValue(ReportTag, out var report)
            ? Path.Combine(root, day, report)
            : Path.Combine(root, day);
    }

    /// <summary>The start of a file name: when it was written, sortable, in UTC.</summary>
    internal static string Timestamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);

    private static MimeMessage BuildMessage(
        OutgoingEmail email, MailboxAddress from, MailboxAddress to, IReadOnlyDictionary<string, string> tags, string messageId, DateTimeOffset now)
    {
        var text = new TextPart(MimeKit.Text.TextFormat.Plain);
        text.SetText(Encoding.UTF8, email.Text);
        var html = new TextPart(MimeKit.Text.TextFormat.Html);
        html.SetText(Encoding.UTF8, email.Html);

        // Plain text first: clients show the last alternative they understand, so HTML wins where it can.
        var message = new MimeMessage
        {
            Subject = email.Subject,
            Date = now,
            MessageId = messageId,
            Body = new MultipartAlternative { text, html },
        };
        message.From.Add(from);
        message.To.Add(to);
        foreach (var (name, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            message.Headers.Add("X-CostNotifier-" + name, value);
        }

        // Seven-bit transfer encodings keep the file valid for any reader, however long the HTML lines are.
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }

    private static byte[] Serialize(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var buffer = new MemoryStream();
        message.WriteTo(options, buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes every file under a temporary name and renames them in order; on failure none is left.</summary>
    internal static async Task WriteAtomicallyAsync(IReadOnlyList<(string Path, byte[] Content)> files, CancellationToken cancellationToken)
    {
        var staged = new List<(string Temporary, string Final)>(files.Count);
        var placed = new List<string>(files.Count);
        try
        {
            foreach (var (path, content) in files)
            {
                var temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".tmp");
                staged.Add((temporary, path));
                await WriteDurablyAsync(temporary, content, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (temporary, final) in staged)
            {
                File.Move(temporary, final, overwrite: false);
                placed.Add(final);
            }
        }
        catch
        {
            // Leave nothing of an email that was not written completely.
            foreach (var path in placed)
            {
                File.Delete(path);
            }

            throw;
        }
        finally
        {
            foreach (var (temporary, _) in staged)
            {
                File.Delete(temporary);
            }
        }
    }

    private static async Task WriteDurablyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        };
        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }
    }

    private static MailboxAddress ParseMailbox(string? address, string field)
    {
        RejectControlCharacters(address, "The " + field + " address");
        if (string.IsNullOrWhiteSpace(address)
            || !MailboxAddress.TryParse(ParserOptions.Default, address, out var mailbox)
            || string.IsNullOrEmpty(mailbox.LocalPart)
            || string.IsNullOrEmpty(mailbox.Domain))
        {
            throw new ArgumentException($"The {field} address '{address}' is not a single email address.", nameof(address));
        }

        return mailbox;
    }

    private static void RejectControlCharacters(string? value, string what)
    {
        ArgumentNullException.ThrowIfNull(value, what);
        foreach (var c in value)
        {
            if (c is '\r' or '\n')
            {
                throw new ArgumentException($"{what} contains a line break (CR or LF); refusing to write a header that could inject others.", nameof(value));
            }

            if (char.IsControl(c))
            {
                throw new ArgumentException($"{what} contains the control character U+{(int)c:X4}.", nameof(value));
            }
        }
    }

    /// <summary>Refuses tags that could not safely become header names, header values or folder names.</summary>
    internal static void ValidateTags(IReadOnlyDictionary<string, string> tags)
    {
        foreach (var (name, value) in tags)
        {
            // Tag names become header names and values header values: the same rule SES applies keeps both safe.
            if (string.IsNullOrEmpty(name) || name.Length > 256 || !name.All(IsTagCharacter))
            {
                throw new ArgumentException($"Tag name '{name}' must be 1-256 ASCII letters, digits, '_' or '-'.", nameof(tags));
            }

            RejectControlCharacters(value, $"Tag '{name}'");
        }

        if (tags.TryGetValue(PeriodTag, out var period) && !ReportPeriod.TryParse(period, out _))
        {
            throw new ArgumentException($"Tag '{PeriodTag}' is '{period}', not a day, ISO week or month; it names the outbox folder.", nameof(tags));
        }

        if (tags.TryGetValue(ReportTag, out var report) && !ReportId.TryParse(report, out _))
        {
            throw new ArgumentException($"Tag '{ReportTag}' is '{report}', not a report id; it names the outbox folder.", nameof(tags));
        }
    }

    private static bool IsTagCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';

    private static bool IsDomain(string domain) =>
        !string.IsNullOrEmpty(domain) && domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-');
}
