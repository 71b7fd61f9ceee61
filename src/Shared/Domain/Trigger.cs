using System.Text.Json;
using System.Text.Json.Serialization;

namespace CostNotifier.Domain;

/// <summary>Why a report-day was requested. Travels and is stored as its lowercase wire name.</summary>
[JsonConverter(typeof(TriggerJsonConverter))]
public enum Trigger
{
    /// <summary>The daily schedule.</summary>
    Scheduled,

    /// <summary>An operator re-ran a date.</summary>
    Replay,

    /// <summary>An operator filled in a range of past dates.</summary>
    Backfill,
}

/// <summary>Wire names of <see cref="Trigger"/>.</summary>
public static class Triggers
{
    /// <summary>Every trigger.</summary>
    public static IReadOnlyList<Trigger> All { get; } = [Trigger.Scheduled, Trigger.Replay, Trigger.Backfill];

    /// <summary>The name a trigger travels and is stored as.</summary>
    public static string ToWireName(this Trigger trigger) => trigger switch
    {
        Trigger.Scheduled => "scheduled",
        Trigger.Replay => "replay",
        Trigger.Backfill => "backfill",
        _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, "Not a trigger."),
    };

    /// <summary>Parses a wire name or throws <see cref="FormatException"/> naming the choices.</summary>
    public static Trigger Parse(string? text) => text switch
    {
        "scheduled" => Trigger.Scheduled,
        "replay" => Trigger.Replay,
        "backfill" => Trigger.Backfill,
        _ => throw new FormatException($"'{text}' must be one of {string.Join(", ", All.Select(t => t.ToWireName()))}"),
    };
}

/// <summary>Reads and writes a <see cref="Trigger"/> as its wire name.</summary>
public sealed class TriggerJsonConverter : JsonConverter<Trigger>
{
    /// <inheritdoc />
    public override Trigger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        try
        {
            return Triggers.Parse(reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.TokenType.ToString());
        }
        catch (FormatException ex)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Trigger value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToWireName());
    }
}
