using CostNotifier.EmailSending;
using CostNotifier.IntegrationTests.CostExplorer;
using CostNotifier.IntegrationTests.Emulators;
using CostNotifier.Notifier.Ses;

namespace CostNotifier.IntegrationTests.Ses;

/// <summary>The production SES v2 sender against a real SES v2-compatible server (aws-ses-v2-local).</summary>
[Collection(EmulatorCollection.Name)]
public sealed class SesV2EmulatorTests(EmulatorFixture emulators)
{
    [Fact]
    public async Task Send_ToTheSesServer_IsStoredWithBothPartsAndTheReturnedMessageId()
    {
        var subject = "AWS cost 2026-11-24 " + EmulatorFixture.UniqueName("run");
        var email = new OutgoingEmail(
            "costs@example.com",
            "sre@example.com",
            subject,
            "<p>Total <b>$1,234.56</b> — Amazon EC2 &amp; friends</p>",
            "Total $1,234.56 - Amazon EC2 & friends\n",
            new Dictionary<string, string> { ["report"] = "platform", ["date"] = "2026-11-24" });
        using var sender = new SesV2EmailSender(emulators.SesConnection, new SesV2Options(null), new RecordingLogger<SesV2EmailSender>());

        var messageId = await sender.SendAsync(email, CancellationToken.None);

        var emails = await emulators.ReadSentEmailsAsync();
        var stored = Assert.Single(emails.EnumerateArray(), e => e.GetProperty("subject").GetString() == subject);
        Assert.Equal(messageId, stored.GetProperty("messageId").GetString());
        Assert.Equal("costs@example.com", stored.GetProperty("from").GetString());
        Assert.Equal(["sre@example.com"], stored.GetProperty("destination").GetProperty("to").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(email.Html, stored.GetProperty("body").GetProperty("html").GetString());
        Assert.Equal(email.Text, stored.GetProperty("body").GetProperty("text").GetString());
    }
}
