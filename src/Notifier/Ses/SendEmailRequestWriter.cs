using System.Text.Encodings.Web;
using System.Text.Json;
using CostNotifier.EmailSending;

namespace CostNotifier.Notifier.Ses;

/// <summary>
/// Writes the JSON body of SES v2 <c>SendEmail</c> (<c>POST /v2/email/outbound-emails</c>) with simple content:
/// subject, HTML and text parts in UTF-8, one recipient, message tags and an optional configuration set.
/// </summary>
internal static class SendEmailRequestWriter
{
    // The body is JSON read by SES, never embedded in a page, so HTML-sensitive characters need no escaping;
    // escaping them would triple the size of an HTML email.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The body for <paramref name="email"/>.</summary>
    public static byte[] Write(OutgoingEmail email, string? configurationSetName)
    {
        ArgumentNullException.ThrowIfNull(email);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("FromEmailAddress", email.From);

            json.WriteStartObject("Destination");
            json.WriteStartArray("ToAddresses");
            json.WriteStringValue(email.To);
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("Content");
            json.WriteStartObject("Simple");
            WriteText(json, "Subject", email.Subject);
            json.WriteStartObject("Body");
            WriteText(json, "Text", email.Text);
            WriteText(json, "Html", email.Html);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();

            var tags = SesEmailTags.Sanitize(email.Tags);
            if (tags.Count > 0)
            {
                json.WriteStartArray("EmailTags");
                foreach (var (name, value) in tags)
                {
                    json.WriteStartObject();
                    json.WriteString("Name", name);
                    json.WriteString("Value", value);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            if (!string.IsNullOrWhiteSpace(configurationSetName))
            {
                json.WriteString("ConfigurationSetName", configurationSetName);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteText(Utf8JsonWriter json, string name, string data)
    {
        json.WriteStartObject(name);
        json.WriteString("Data", data);
        json.WriteString("Charset", "UTF-8");
        json.WriteEndObject();
    }
}
