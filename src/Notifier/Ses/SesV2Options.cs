namespace CostNotifier.Notifier.Ses;

/// <summary>How report emails are sent through SES v2.</summary>
/// <param name="ConfigurationSetName">The SES configuration set every email is sent with (event publishing, IP pool); null for none.</param>
public sealed record SesV2Options(string? ConfigurationSetName);
