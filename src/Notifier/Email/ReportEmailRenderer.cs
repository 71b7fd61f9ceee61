using System.Text;
using CostNotifier.Domain;
using CostNotifier.Events;
using static CostNotifier.Notifier.Email.ReportEmailWording;

namespace CostNotifier.Notifier.Email;

/// <summary>
/// Renders the cost report email of one report-day (or, for a weekly or monthly report, the digest of one week or
/// month): subject, HTML part and plain-text part. A digest is the daily email's sections worded for its period,
/// plus its own: the days of the week, the groups that moved most, how the month ended against its forecast.
/// Pure and fast (string builders, no template engine), and free of any MIME library so the Notifier
/// package stays small; the email provider or the outbox assembles the message.
/// </summary>
public sealed class ReportEmailRenderer
{
    private const string SubjectPrefix = "[CostNotifier] ";

    /// <summary>Renders the email.</summary>
    /// <param name="report">The report the snapshot belongs to; its name heads the email and <see cref="ReportDefinition.Top"/> caps the group rows.</param>
    /// <param name="snapshot">The figures of the day, or of the week or month when its date names one.</param>
    /// <param name="snapshotVersion">The stream version of <paramref name="snapshot"/>, printed in the footer.</param>
    /// <param name="trigger">Why the email is sent.</param>
    /// <exception cref="ArgumentException">The snapshot does not belong to the report or carries a field the email cannot show.</exception>
    public RenderedEmail Render(ReportDefinition report, CostSnapshot snapshot, long snapshotVersion, Trigger trigger)
    {
        var model = ReportEmailModel.Create(report, snapshot, snapshotVersion, trigger);
        var subject = Subject(model);
        return new RenderedEmail(subject, HtmlReportWriter.Write(model, subject, Preheader(model)), TextReportWriter.Write(model));
    }

    // Every piece of the subject is either a fixed word, a number we format, or cleaned text, so it is one line by
    // construction. The chat renderer reuses it (and the preheader) as its notification text.
    internal static string Subject(ReportEmailModel model)
    {
        var subject = new StringBuilder(SubjectPrefix.Length + model.ReportName.Length + 64)
            .Append(SubjectPrefix)
            .Append(model.ReportName)
            .Append(" \u2014 ")
            .Append(PeriodName(model))
            .Append(": ")
            .Append(model.Amounts.Format(model.Total));
        if (model.PreviousDay is { } change)
        {
            subject.Append(" (")
                .Append(change.Percent is { } percent ? AmountFormatter.FormatPercent(percent, signed: true) : model.Amounts.FormatChange(change.Difference))
                .Append(" vs ")
                .Append(PreviousName(model))
                .Append(')');
        }

        if (model.Estimated)
        {
            subject.Append(" (estimated)");
        }

        return subject.ToString();
    }

    internal static string Preheader(ReportEmailModel model)
    {
        var text = new StringBuilder(160)
            .Append(model.Amounts.Format(model.Total))
            .Append(model.Digest is null ? " on " + ShortDate(model.Date) : " in " + PeriodName(model));
        if (model.PreviousDay is { } change)
        {
            text.Append(", ").Append(Difference(model, change));
            if (change.Percent is not null)
            {
                text.Append(" (").Append(Percent(change)).Append(')');
            }

            text.Append(" vs ").Append(PreviousName(model));
        }

        // A month's digest has no month to date: its total is the month's.
        text.Append('.');
        if (model.Cadence != Cadence.Monthly)
        {
            text.Append(" Month to date ").Append(model.Amounts.Format(model.MonthToDate)).Append('.');
        }
        if (model.Largest is { } largest)
        {
            text.Append(" Largest: ").Append(largest.Label).Append(' ').Append(model.Amounts.Format(largest.Amount)).Append('.');
        }

        if (model.Estimated)
        {
            text.Append(" Provisional figures.");
        }

        return text.ToString();
    }
}
