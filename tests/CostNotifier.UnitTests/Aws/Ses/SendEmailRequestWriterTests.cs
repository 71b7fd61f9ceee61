using System.Text.Json;
using CostNotifier.EmailSending;
using CostNotifier.Notifier.Ses;

namespace CostNotifier.UnitTests.Aws.Ses;

public sealed class SendEmailRequestWriterTests
{
    private static readonly OutgoingEmail Email = new(
        "costs@example.com",
        "sre@example.com",
        "AWS cost 2026-11-24: $1,234.56 (+3.2%)",
        "<table><tr><td style=\"color:#333\">Amazon EC2 &amp; more</td></tr></table>",
        "Amazon EC2 & more\n",
        new Dictionary<string, string> { ["report"] = "platform", ["date"] = "2026-11-24" });

    [Fact]
    public void Write_AnEmail_SendsSimpleContentWithBothPartsInUtf8()
    {
        using var body = JsonDocument.Parse(SendEmailRequestWriter.Write(Email, configurationSetName: null));

        var root = body.RootElement;
        Assert.Equal("costs@example.com", root.GetProperty("FromEmailAddress").GetString());
        Assert.Equal(["sre@example.com"], root.GetProperty("Destination").GetProperty("ToAddresses").EnumerateArray().Select(a => a.GetString()));
        var simple = root.GetProperty("Content").GetProperty("Simple");
        Assert.Equal(Email.Subject, simple.GetProperty("Subject").GetProperty("Data").GetString());
        Assert.Equal("UTF-8", simple.GetProperty("Subject").GetProperty("Charset").GetString());
        Assert.Equal(Email.Html, simple.GetProperty("Body").GetProperty("Html").GetProperty("Data").GetString());
        Assert.Equal("UTF-8", simple.GetProperty("Body").GetProperty("Html").GetProperty("Charset").GetString());
        Assert.Equal(Email.Text, simple.GetProperty("Body").GetProperty("Text").GetProperty("Data").GetString());
        Assert.Equal("UTF-8", simple.GetProperty("Body").GetProperty("Text").GetProperty("Charset").GetString());
        Assert.False(root.TryGetProperty("ConfigurationSetName", out _));
    }

    [Fact]
    public void Write_HtmlPart_IsNotBloatedByHtmlEscapes()
    {
        var json = System.Text.Encoding.UTF8.GetString(SendEmailRequestWriter.Write(Email, null));

        Assert.Contains("<table><tr>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u003C", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_WithAConfigurationSet_NamesIt()
    {
        using var body = JsonDocument.Parse(SendEmailRequestWriter.Write(Email, "cost-reports"));

        Assert.Equal("cost-reports", body.RootElement.GetProperty("ConfigurationSetName").GetString());
    }

    [Fact]
    public void Write_Tags_AreSentSortedByName()
    {
        using var body = JsonDocument.Parse(SendEmailRequestWriter.Write(Email, null));

        var tags = body.RootElement.GetProperty("EmailTags").EnumerateArray()
            .Select(t => (t.GetProperty("Name").GetString(), t.GetProperty("Value").GetString()))
            .ToList();
        Assert.Equal([("date", "2026-11-24"), ("report", "platform")], tags);
    }
}
