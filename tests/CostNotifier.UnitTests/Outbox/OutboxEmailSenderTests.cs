using System.Text;
using CostNotifier.EmailSending;
using CostNotifier.Embedded.Outbox;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace CostNotifier.UnitTests.Outbox;

public sealed class OutboxEmailSenderTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 12, 3, 45, TimeSpan.Zero);

    private readonly string _outbox = Path.Combine(Path.GetTempPath(), "costnotifier-outbox-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _time = new(Now);

    public void Dispose()
    {
        if (Directory.Exists(_outbox))
        {
            Directory.Delete(_outbox, recursive: true);
        }
    }

    [Fact]
    public async Task WriteAsync_ReportEmail_WritesThreeFilesUnderTheReportDayAndReport()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);

        // Act
        var entry = await sender.WriteAsync(Email(), CancellationToken.None);

        // Assert
        var folder = Path.Combine(_outbox, "2026-11-24", "production");
        var stem = Path.GetFileNameWithoutExtension(entry.EmlPath);
        Assert.Matches(@"^20261125T061203045Z-finops@example\.com-[0-9a-f]{8}$", stem);
        Assert.Equal(Path.Combine(folder, stem + ".html"), entry.HtmlPath);
        Assert.Equal(Path.Combine(folder, stem + ".txt"), entry.TextPath);
        Assert.Equal(Path.Combine(folder, stem + ".eml"), entry.EmlPath);
        Assert.Equal(
            new[] { entry.EmlPath, entry.HtmlPath, entry.TextPath },
            Directory.GetFiles(_outbox, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WriteAsync_Parts_AreTheEmailsHtmlAndTextAsUtf8WithoutBom()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);
        var email = Email();

        // Act
        var entry = await sender.WriteAsync(email, CancellationToken.None);

        // Assert
        var html = await File.ReadAllBytesAsync(entry.HtmlPath);
        Assert.NotEqual(0xEF, html[0]);
        Assert.Equal(email.Html, Encoding.UTF8.GetString(html));
        Assert.Equal(email.Text, await File.ReadAllTextAsync(entry.TextPath));
    }

    [Fact]
    public async Task WriteAsync_Eml_IsAMultipartAlternativeMessageThatParsesBack()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);
        var email = Email();

        // Act
        var entry = await sender.WriteAsync(email, CancellationToken.None);

        // Assert
        using var message = await MimeMessage.LoadAsync(entry.EmlPath);
        Assert.Equal(entry.MessageId, message.MessageId);
        Assert.EndsWith("@example.com", message.MessageId, StringComparison.Ordinal);
        Assert.Equal(email.Subject, message.Subject);
        Assert.Equal("reports@example.com", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("finops@example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal(Now.AddMilliseconds(-45), message.Date);
        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(2, alternative.Count);
        var text = Assert.IsType<TextPart>(alternative[0]);
        var html = Assert.IsType<TextPart>(alternative[1]);
        Assert.True(text.IsPlain);
        Assert.True(html.IsHtml);
        Assert.Equal("utf-8", text.ContentType.Charset, ignoreCase: true);
        Assert.Equal("utf-8", html.ContentType.Charset, ignoreCase: true);
        Assert.Equal(email.Text, text.Text.ReplaceLineEndings("\n"));
        Assert.Equal(email.Html, html.Text.ReplaceLineEndings("\n"));
        Assert.Equal("production", message.Headers["X-CostNotifier-report"]);
        Assert.Equal("2026-11-24", message.Headers["X-CostNotifier-period"]);
    }

    [Fact]
    public async Task WriteAsync_Eml_KeepsEveryLineWithinTheMimeLimitAndSevenBit()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);
        var email = Email() with { Html = "<p>" + new string('x', 5_000) + " \u20AC</p>" };

        // Act
        var entry = await sender.WriteAsync(email, CancellationToken.None);

        // Assert
        var raw = await File.ReadAllBytesAsync(entry.EmlPath);
        Assert.All(raw, b => Assert.True(b < 0x80));
        Assert.All(Encoding.ASCII.GetString(raw).Split("\r\n"), line => Assert.InRange(line.Length, 0, 998));
    }

    [Fact]
    public async Task SendAsync_Email_ReturnsTheMimeMessageId()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);

        // Act
        var id = await sender.SendAsync(Email(), CancellationToken.None);

        // Assert
        var eml = Assert.Single(Directory.GetFiles(_outbox, "*.eml", SearchOption.AllDirectories));
        using var message = await MimeMessage.LoadAsync(eml);
        Assert.Equal(message.MessageId, id);
    }

    [Fact]
    public async Task Find_MessageIdFromSendAsync_ReturnsTheFilesWritten()
    {
        // Arrange
        var written = await new OutboxEmailSender(_outbox, _time).WriteAsync(Email(), CancellationToken.None);
        await new OutboxEmailSender(_outbox, _time).WriteAsync(Email() with { To = "other@example.com" }, CancellationToken.None);

        // Act: a fresh instance, as the operator CLI would have after the pipeline ran.
        var found = new OutboxEmailSender(_outbox, _time).Find(written.MessageId);

        // Assert
        Assert.Equal(written, found);
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef@example.com")]
    [InlineData("../../etc/passwd")]
    [InlineData("*")]
    public async Task Find_UnknownOrMalformedMessageId_ReturnsNull(string messageId)
    {
        // Arrange
        await new OutboxEmailSender(_outbox, _time).WriteAsync(Email(), CancellationToken.None);

        // Act
        var found = new OutboxEmailSender(_outbox, _time).Find(messageId);

        // Assert
        Assert.Null(found);
    }

    [Fact]
    public async Task WriteAsync_SameRecipientInTheSameMillisecond_WritesSeparateFiles()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);

        // Act
        var first = await sender.WriteAsync(Email(), CancellationToken.None);
        var second = await sender.WriteAsync(Email(), CancellationToken.None);

        // Assert
        Assert.NotEqual(first.EmlPath, second.EmlPath);
        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.Equal(6, Directory.GetFiles(_outbox, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task WriteAsync_WithoutDateOrReportTags_UsesTodayAndNoReportFolder()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);

        // Act
        var entry = await sender.WriteAsync(Email() with { Tags = new Dictionary<string, string>() }, CancellationToken.None);

        // Assert
        Assert.Equal(Path.Combine(_outbox, "2026-11-25"), Path.GetDirectoryName(entry.EmlPath));
    }

    [Fact]
    public async Task WriteAsync_ConcurrentEmails_AllLandWhole()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);

        // Act
        var entries = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            sender.WriteAsync(Email() with { To = $"user{i}@example.com" }, CancellationToken.None)));

        // Assert
        Assert.Equal(60, Directory.GetFiles(_outbox, "*", SearchOption.AllDirectories).Length);
        foreach (var entry in entries)
        {
            using var message = await MimeMessage.LoadAsync(entry.EmlPath);
            Assert.Equal(entry.MessageId, message.MessageId);
        }
    }

    [Fact]
    public async Task WriteAsync_Cancelled_LeavesNoFileAndNoTemporaryFile()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        // Act
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sender.WriteAsync(Email(), cancellation.Token));

        // Assert
        Assert.Empty(Directory.GetFiles(_outbox, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task WriteAsync_Success_LeavesNoTemporaryFile()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);

        // Act
        await sender.WriteAsync(Email(), CancellationToken.None);

        // Assert
        var names = Directory.GetFiles(_outbox, "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Equal(3, names.Count);
        Assert.DoesNotContain(names, n => n!.StartsWith('.') || n.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[CostNotifier] Prod\r\nBcc: victim@example.com")]
    [InlineData("[CostNotifier] Prod\nX-Injected: 1")]
    [InlineData("[CostNotifier] Prod\rX-Injected: 1")]
    [InlineData("[CostNotifier] Prod\0")]
    public async Task WriteAsync_SubjectWithLineBreakOrControlCharacter_IsRejectedAndWritesNothing(string subject)
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);

        // Act
        var error = await Assert.ThrowsAsync<ArgumentException>(() => sender.WriteAsync(Email() with { Subject = subject }, CancellationToken.None));

        // Assert
        Assert.Contains("subject", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.False(Directory.Exists(_outbox));
    }

    [Theory]
    [InlineData("finops@example.com\r\nBcc: victim@example.com")]
    [InlineData("finops@example.com\nCc: victim@example.com")]
    [InlineData("not an address")]
    [InlineData("a@example.com, b@example.com")]
    [InlineData("")]
    public async Task WriteAsync_BadRecipient_IsRejectedAndWritesNothing(string to)
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);

        // Act
        var error = await Assert.ThrowsAsync<ArgumentException>(() => sender.WriteAsync(Email() with { To = to }, CancellationToken.None));

        // Assert
        Assert.Contains("To address", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_outbox));
    }

    [Fact]
    public async Task WriteAsync_FromWithLineBreak_IsRejected()
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);

        // Act
        var error = await Assert.ThrowsAsync<ArgumentException>(() => sender.WriteAsync(Email() with { From = "reports@example.com\r\nBcc: x@example.com" }, CancellationToken.None));

        // Assert
        Assert.Contains("From address", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("period", "../../etc")]
    [InlineData("period", "2026-02-30")]
    [InlineData("report", "../escape")]
    [InlineData("report", "Production")]
    [InlineData("request", "abc\r\nX-Injected: 1")]
    [InlineData("bad name", "x")]
    public async Task WriteAsync_UnsafeTag_IsRejectedAndWritesNothing(string name, string value)
    {
        // Arrange
        var sender = new OutboxEmailSender(_outbox, _time);
        var tags = new Dictionary<string, string>(Email().Tags) { [name] = value };

        // Act
        var error = await Assert.ThrowsAsync<ArgumentException>(() => sender.WriteAsync(Email() with { Tags = tags }, CancellationToken.None));

        // Assert
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_outbox));
    }

    [Theory]
    [InlineData("finops@example.com", "finops@example.com")]
    [InlineData("FinOps+Daily@Example.COM", "finops+daily@example.com")]
    [InlineData("\"../../etc/passwd\"@example.com", "etc_passwd_@example.com")]
    [InlineData("\"a\\\\b:c*d?e|f<g>h\"@example.com", "a_b_c_d_e_f_g_h_@example.com")]
    [InlineData("..", "recipient")]
    [InlineData("\u00FC\u00F1\u00EE@b\u00FCcher.example", "@b_cher.example")]
    public void SafeRecipient_AnyString_KeepsOnlyFileNameSafeCharacters(string recipient, string expected)
    {
        // Act
        var safe = OutboxEmailSender.SafeRecipient(recipient);

        // Assert
        Assert.Equal(expected, safe);
    }

    [Fact]
    public void SafeRecipient_VeryLongAddress_IsCapped()
    {
        // Act
        var safe = OutboxEmailSender.SafeRecipient(new string('a', 300) + "@example.com");

        // Assert
        Assert.Equal(64, safe.Length);
    }

    private static OutgoingEmail Email() => new(
        "CostNotifier <reports@example.com>",
        "finops@example.com",
        "[CostNotifier] Production account \u2014 2026-11-24: $1,234.56 (+3.2% vs previous day)",
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body><p>Total \u20AC and \u2014 $1,234.56</p></body></html>\n",
        "Total for the day  $1,234.56\nM\u00FCnchen \u00B7 \u65E5\u672C\n",
        new Dictionary<string, string> { ["report"] = "production", ["period"] = "2026-11-24", ["request"] = "scheduled-2026-11-24" });
}
