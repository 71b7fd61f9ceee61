using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;

namespace CostNotifier.Notifier.Chat;

/// <summary>A report rendered for chat: each service's payload and the plain fallback text.</summary>
/// <param name="FallbackText">
/// Plain text for notifications and clients that cannot show the rich form: the email's subject and preheader lines.
/// Names in it are cleaned but not escaped for any markup; the Slack payload carries its escaped form.
/// </param>
/// <param name="SlackPayload">A Slack message: <c>{ "text", "blocks" }</c>.</param>
/// <param name="TeamsPayload">A Teams message carrying one Adaptive Card.</param>
public sealed record RenderedChat(string FallbackText, string SlackPayload, string TeamsPayload);

/// <summary>
/// Renders a report period for Slack (Block Kit) and Teams (an Adaptive Card): a summary of the email, built from the
/// same model and worded by the same sentences, so every figure is the email's to the cent. Chat lists at most 15
/// groups of the table, and fewer when a service's limits would otherwise be passed; a note then says how many more
/// the email has.
/// </summary>
public sealed class ReportChatRenderer
{
    /// <summary>How many cost groups chat lists at most: the default top 10 and the fold of the rest fit whole.</summary>
    internal const int DefaultMaxGroups = 15;

    private readonly int _maxGroups;

    /// <summary>A renderer that lists at most 15 cost groups.</summary>
    public ReportChatRenderer()
        : this(DefaultMaxGroups)
    {
    }

    /// <summary>A renderer that lists at most <paramref name="maxGroups"/> cost groups, before the services' limits.</summary>
    internal ReportChatRenderer(int maxGroups)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxGroups);
        _maxGroups = maxGroups;
    }

    /// <summary>Renders the chat forms of the report.</summary>
    /// <param name="report">The report the snapshot belongs to; its name heads the message.</param>
    /// <param name="snapshot">The figures of the day, or of the week or month when its date names one.</param>
    /// <param name="snapshotVersion">The stream version of <paramref name="snapshot"/>, printed in the footer.</param>
    /// <param name="trigger">Why the report is sent.</param>
    /// <exception cref="ArgumentException">The snapshot does not belong to the report or carries a field the report cannot show.</exception>
    public RenderedChat Render(ReportDefinition report, CostSnapshot snapshot, long snapshotVersion, Trigger trigger)
    {
        var model = ReportEmailModel.Create(report, snapshot, snapshotVersion, trigger);
        var fallback = ReportEmailRenderer.Subject(model) + "\n" + ReportEmailRenderer.Preheader(model);
        return new RenderedChat(fallback, SlackMessageWriter.Write(model, _maxGroups), TeamsCardWriter.Write(model, _maxGroups));
    }
}
