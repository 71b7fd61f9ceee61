using System.Text.Json.Nodes;
using CostNotifier.Domain;
using CostNotifier.TestSupport;

namespace CostNotifier.UnitTests.Aws.CostExplorer;

/// <summary>The stand-in servers' paging by groups: the pages of an answer put together are the answer.</summary>
public sealed class CostExplorerResponsesPagingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(100)]
    public void PageOfGroups_FollowedFromTokenToToken_GivesEveryGroupOnceInOrderAndEveryResult(int maxGroups)
    {
        // Results of 3, 0, 2 and 1 groups: one without groups in the middle, as a day without cost comes back.
        var whole = new[] { 3, 0, 2, 1 }
            .Select((count, d) => (
                Span: DateRange.Single(new ReportDate(2024, 2, 27).AddDays(d)),
                Estimated: d == 3,
                Groups: (IReadOnlyList<JsonObject>)[.. Enumerable.Range(0, count).Select(g => CostExplorerResponses.Group(["111122223333", $"s{d}.{g}"], "1"))]))
            .ToList();

        var seen = new List<(string Day, string Key)>();
        var days = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        var pages = 0;
        do
        {
            var page = CostExplorerResponses.PageOfGroups(whole, token, maxGroups, out token);
            pages++;
            Assert.True(page.Sum(r => r["Groups"]!.AsArray().Count) <= maxGroups);
            foreach (var result in page)
            {
                var day = result["TimePeriod"]!["Start"]!.GetValue<string>();
                days.Add(day);
                seen.AddRange(result["Groups"]!.AsArray().Select(g => (day, g!["Keys"]![1]!.GetValue<string>())));
            }
        }
        while (token is not null && pages < 20);

        Assert.Null(token);
        Assert.Equal((6 + maxGroups - 1) / maxGroups, pages);
        Assert.Equal(whole.SelectMany(r => r.Groups.Select(g => (r.Span.Start.ToString(), g["Keys"]![1]!.GetValue<string>()))), seen);
        Assert.Equal(whole.Select(r => r.Span.Start.ToString()).Order(StringComparer.Ordinal), days.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PageOfGroups_WithAForeignToken_Throws()
    {
        Assert.Throws<FormatException>(() => CostExplorerResponses.PageOfGroups([], "page-2", 3, out _));
    }
}
