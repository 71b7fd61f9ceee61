using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CostNotifier.Domain;

/// <summary>
/// Reads and writes a value that travels as a JSON string and is parsed strictly, so a message or event is decoded
/// into typed values once, where it enters. A value that does not parse fails the read with the parser's reason.
/// </summary>
public sealed class TextJsonConverter<T> : JsonConverter<T>
    where T : IParsable<T>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
        {
            var reason = $"must be a string, not {reader.TokenType}";
            throw new JsonException(reason, new FormatException(reason));
        }

        try
        {
            return T.Parse(reader.GetString()!, CultureInfo.InvariantCulture);
        }
        catch (FormatException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
