using AngleSharp.Dom;
using CostNotifier.Domain;
using CostNotifier.Events;
using CostNotifier.Notifier.Email;
using CostNotifier.UnitTests.Hostile;

namespace CostNotifier.UnitTests.Email;

/// <summary>
/// The group names of the hostile catalogue (<c>Hostile/cases.json</c>: markup, attribute break-outs, header
/// injection, direction overrides) in every place a digest prints a name: the group table, the movers, the anomalies
/// of the week, a restated period and the report that made the month's forecast.
/// </summary>
public sealed class DigestEscapingTests
{
    private readonly ReportEmailRenderer _renderer = new();

    /// <summary>Every catalogue case that names a group, by id, once for each digest cadence.</summary>
    public static TheoryData<string, Cadence> HostileNames
    {
        get
        {
            var data = new TheoryData<string, Cadence>();
            foreach (var hostile in HostileCase.Catalogue.Values.Where(c => c.Text("row") is not null))
            {
                data.Add(hostile.Id, Cadence.Weekly);
                data.Add(hostile.Id, Cadence.Monthly);
            }

            return data;
        }
    }

    [Fact]
    public void Catalogue_HasGroupNamesForTheDigests()
    {
        Assert.True(HostileNames.Count >= 2 * 5, $"only {HostileNames.Count / 2} hostile group names");
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void Render_DigestWithHostileGroupName_ShowsItAsTextEverywhereAndInjectsNothing(string id, Cadence cadence)
    {
        // Arrange: the name as Cost Explorer returned it, a group that appeared this period so it is also a mover.
        var hostile = HostileCase.Catalogue[id];
        var key = hostile.Json.GetProperty("response").GetProperty("ResultsByTime")[0].GetProperty("Groups")[0].GetProperty("Keys")[0].GetString()!;
        var shown = hostile.Text("row")!;
        var groupBy = hostile.Text("groupBy") ?? "SERVICE";
        var lambda = groupBy == "SERVICE" ? "AWS Lambda" : "team$platform";

        // The same text as a report name and as the id of the report that made a forecast (a tag value without its key).
        var name = groupBy == "SERVICE" ? key : key[(key.IndexOf('$', StringComparison.Ordinal) + 1)..];
        GroupLine[] groups = [new(key, 500m, null, null), new(lambda, 100m, 120m, 90m)];
        var snapshot = (cadence == Cadence.Weekly ? DigestSnapshots.Weekly(groups, groupBy: groupBy) : DigestSnapshots.Monthly(groups, groupBy: groupBy)).WithFigures(f => f with
        {
            Anomalies = [new CostAnomaly(key, AnomalyKind.NewGroup, 500m, 0m, 0m, 500m) { Date = ReportPeriod.Parse(f.Trend[^1].Date).First.ToString() }],
            Digest = f.Digest! with { ForecastCheck = f.Digest.ForecastCheck is null ? null : f.Digest.ForecastCheck with { ReportId = name } },
        }) with
        {
            Restated = [new RestatedPeriod(key, 1m, 2m, 2)],
        };
        var report = (cadence == Cadence.Weekly ? DigestSnapshots.WeeklyReport(groupBy: GroupBy.Parse(groupBy)) : DigestSnapshots.MonthlyReport(groupBy: GroupBy.Parse(groupBy))) with
        {
            Name = name,
        };

        // Act
        var email = _renderer.Render(report, snapshot, 1, Trigger.Scheduled);

        // Assert
        var page = RenderedReportPage.Parse(email.Html);
        Assert.Equal(shown, page.GroupRows[0].Name);
        Assert.Equal(shown, Assert.Single(page.Movers, m => m.Direction == "Increases").Name);
        Assert.Contains(page.WhatChanged, line => line.Contains(shown, StringComparison.Ordinal));
        Assert.Contains(page.Document.QuerySelectorAll("div.t"), d => d.TextContent == shown);
        if (cadence == Cadence.Monthly)
        {
            Assert.Contains(page.Document.QuerySelectorAll("table.f td"), td => td.TextContent.Contains("by report " + shown + " expected", StringComparison.Ordinal));
        }

        AssertNothingInjected(page);
        Assert.DoesNotContain(email.Subject, c => char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'));
        Assert.Equal(email.Subject, page.Document.Title);
        Assert.DoesNotContain('\u202E', email.Html);
        Assert.DoesNotContain('\u202E', email.Text);
        Assert.Contains(shown, email.Text, StringComparison.Ordinal);
    }

    private static void AssertNothingInjected(RenderedReportPage page)
    {
        var document = page.Document;
        Assert.Empty(document.QuerySelectorAll("script, img, iframe, object, embed, a, form, svg, b"));
        Assert.DoesNotContain(document.All, e => e.Attributes.Any(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(document.All, e => e.HasAttribute("src") || e.HasAttribute("href"));
        Assert.Empty(document.Descendants<IComment>());
    }
}
