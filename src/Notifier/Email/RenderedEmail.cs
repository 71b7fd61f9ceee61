namespace CostNotifier.Notifier.Email;

/// <summary>A report email ready to send: one subject, an HTML part and a plain-text part with the same figures.</summary>
/// <param name="Subject">A single line: never contains CR, LF or any other control character.</param>
/// <param name="Html">A complete, email-client safe HTML document.</param>
/// <param name="Text">The plain-text alternative.</param>
public sealed record RenderedEmail(string Subject, string Html, string Text);
