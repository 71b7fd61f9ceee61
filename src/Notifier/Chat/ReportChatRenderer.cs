using CostNotifier.Domain;
using CostNotifier.Events;

namespace CostNotifier.Notifier.Chat;

/// <summary>A report rendered for chat: each service's payload and the plain fallback text.</summary>
/// <param name="FallbackText">Plain text for notifications and clients that cannot show the rich form.</param>
/// <param name="SlackPayload">A Slack message: <c>{ "text", "blocks" }</c>.</param>
/// <param name="TeamsPayload">A Teams message carrying one Adaptive Card.</param>
public sealed record RenderedChat(string FallbackText, string SlackPayload, string TeamsPayload);

/// <summary>Renders a report period for Slack and Teams.</summary>
public sealed class ReportChatRenderer
{
    /// <summary>Renders the chat forms of the report.</summary>
    public RenderedChat Render(ReportDefinition report, CostSnapshot snapshot, long snapshotVersion, Trigger trigger) =>
        throw new NotSupportedException("Chat rendering is not built yet.");
}
