using Bogus;
using CostNotifier.CostData;
using CostNotifier.Domain;
using CostNotifier.Insights;

namespace CostNotifier.InsightsBench;

/// <summary>
/// One synthetic account seen on one report day: its groups, and how the cost source shows the latest days (an
/// estimated, possibly incomplete tail; estimated marks on the tail only or on the whole month).
/// </summary>
internal sealed class Account
{
    /// <summary>The lowest share of its final amount each tail day may show, newest first (report day, day before, two before).</summary>
    public static readonly double[] LowestCompleteness = [0.6, 0.85, 0.95];

    private readonly Dictionary<(string Key, DateOnly Day), double> _completeness = [];

    public Account(Randomizer random, DateOnly day, IReadOnlyList<GroupModel> groups)
    {
        Day = day;
        Groups = groups;
        TailDepth = random.WeightedRandom([0, 1, 2, 3], [0.30f, 0.35f, 0.20f, 0.15f]);
        MarksWholeMonth = random.Bool();
        foreach (var group in groups)
        {
            for (var back = 0; back < TailDepth; back++)
            {
                _completeness[(group.Key, day.AddDays(-back))] = random.Double(LowestCompleteness[back], 1.0);
            }
        }
    }

    /// <summary>The report day.</summary>
    public DateOnly Day { get; }

    public IReadOnlyList<GroupModel> Groups { get; }

    /// <summary>How many of the latest days (the report day first) are still incomplete.</summary>
    public int TailDepth { get; }

    /// <summary>Whether the source marks every day of the month estimated (else only the incomplete tail).</summary>
    public bool MarksWholeMonth { get; }

    /// <summary>The lowest share of its final amount the report day may show.</summary>
    public double DayCompletenessFloor => TailDepth > 0 ? LowestCompleteness[0] : 1.0;

    /// <summary>What the cost source shows for <paramref name="group"/> on <paramref name="day"/> as of the report day.</summary>
    public decimal ObservedOn(GroupModel group, DateOnly day) =>
        Math.Round((decimal)(group.SettledOn(day) * _completeness.GetValueOrDefault((group.Key, day), 1.0)), 6);

    /// <summary>The window the collector would fetch (<see cref="InsightsWindow.For"/>), as the cost source returns it.</summary>
    public List<DailyCost> Window()
    {
        var range = InsightsWindow.For(new ReportDate(Day));
        return
        [
            .. range.EachDay().Select(date =>
            {
                var day = date.Day;
                var estimated = day > Day.AddDays(-TailDepth) || (MarksWholeMonth && day.Year == Day.Year && day.Month == Day.Month);
                var groups = Groups
                    .Select(g => new GroupCost(g.Key, ObservedOn(g, day), "USD"))
                    .Where(g => g.Amount != 0m)
                    .ToList();
                return new DailyCost(date, estimated, groups);
            }),
        ];
    }
}

/// <summary>Seeded generation of accounts (Bogus): the group models, their benign patterns and injected events.</summary>
internal static class Accounts
{
    private static readonly string[] Services =
    [
        "Amazon Elastic Compute Cloud - Compute", "EC2 - Other", "Amazon Simple Storage Service", "Amazon Relational Database Service",
        "AWS Lambda", "Amazon DynamoDB", "Amazon CloudFront", "Amazon Virtual Private Cloud", "Elastic Load Balancing",
        "Amazon Elastic Container Service", "Amazon Elastic Kubernetes Service", "AmazonCloudWatch", "Amazon Route 53",
        "AWS Key Management Service", "Amazon Simple Queue Service", "Amazon Simple Notification Service", "AWS Glue",
        "Amazon Athena", "Amazon Redshift", "Amazon OpenSearch Service", "Amazon ElastiCache", "AWS Backup",
        "Amazon Elastic File System", "AWS Secrets Manager", "Amazon API Gateway", "AWS Step Functions", "Amazon Kinesis",
        "Amazon SageMaker", "Amazon Bedrock", "AWS WAF", "AWS Config", "AWS CloudTrail", "Amazon GuardDuty",
        "AWS Support (Business)", "Tax", "Savings Plans for AWS Compute usage", "Amazon Elastic Container Registry",
        "AWS Data Transfer", "Amazon Managed Streaming for Apache Kafka", "Amazon Cognito",
    ];

    /// <summary>The first and last report day drawn.</summary>
    private static readonly DateOnly First = new(2024, 1, 1), Last = new(2025, 12, 31);

    /// <summary>An account seen on a report day, with one event (or none) injected per group relative to that day.</summary>
    public static Account ForDetection(Randomizer random)
    {
        var day = random.Bool(0.12f)
            ? new DateOnly(random.Int(2024, 2025), random.Int(1, 12), 1)
            : First.AddDays(random.Int(0, Last.DayNumber - First.DayNumber));
        var groups = new List<GroupModel>();
        foreach (var key in random.Shuffle(Services).Take(random.Int(3, 8)))
        {
            var group = new GroupModel(random, key, day);
            var kind = random.WeightedRandom(
                [Injected.None, Injected.Spike, Injected.Drop, Injected.RecentShift, Injected.EstablishedShift, Injected.NewGroup, Injected.SlowDrift],
                [0.38f, 0.14f, 0.10f, 0.10f, 0.08f, 0.10f, 0.10f]);
            switch (kind)
            {
                case Injected.Spike:
                    group.Inject(kind, day, 1 + GroupModel.LogUniform(random, 0.05, 5));
                    break;
                case Injected.Drop:
                    group.Inject(kind, day, random.Bool(0.3f) ? 0 : random.Double(0.1, 0.95));
                    break;
                case Injected.RecentShift:
                    group.Inject(kind, day.AddDays(-random.Int(0, 2)), ShiftFactor(random));
                    break;
                case Injected.EstablishedShift:
                    group.Inject(kind, day.AddDays(-random.Int(7, 21)), ShiftFactor(random));
                    break;
                case Injected.NewGroup:
                    group.Inject(kind, day, 1);
                    break;
                case Injected.SlowDrift:
                    group.Inject(kind, day.AddDays(-random.Int(10, 34)), DriftChange(random), day);
                    break;
                default:
                    break;
            }

            if (kind != Injected.NewGroup)
            {
                AddOneOffs(random, group, day.AddDays(-InsightsWindow.HistoryDays + 1), day.AddDays(-3));
            }

            groups.Add(group);
        }

        return new Account(random, day, groups);
    }

    /// <summary>
    /// The groups of an account over <paramref name="month"/> and the 40 days before it, each with an event (or none)
    /// at a random day of that span: the future holds surprises the forecast cannot know.
    /// </summary>
    public static List<GroupModel> ForForecast(Randomizer random, DateOnly month)
    {
        var start = month.AddDays(-40);
        var end = month.AddMonths(1).AddDays(-1);
        DateOnly AnyDay() => start.AddDays(random.Int(0, end.DayNumber - start.DayNumber));
        var groups = new List<GroupModel>();
        foreach (var key in random.Shuffle(Services).Take(random.Int(3, 8)))
        {
            var group = new GroupModel(random, key, month);
            var kind = random.WeightedRandom(
                [Injected.None, Injected.Spike, Injected.Drop, Injected.RecentShift, Injected.NewGroup, Injected.SlowDrift],
                [0.50f, 0.12f, 0.08f, 0.12f, 0.08f, 0.10f]);
            var at = AnyDay();
            switch (kind)
            {
                case Injected.Spike:
                    group.Inject(kind, at, 1 + GroupModel.LogUniform(random, 0.05, 5));
                    break;
                case Injected.Drop:
                    group.Inject(kind, at, random.Bool(0.3f) ? 0 : random.Double(0.1, 0.95));
                    break;
                case Injected.RecentShift:
                    group.Inject(kind, at, ShiftFactor(random));
                    break;
                case Injected.NewGroup:
                    group.Inject(kind, at, 1);
                    break;
                case Injected.SlowDrift:
                    group.Inject(kind, at, DriftChange(random), at.AddDays(random.Int(14, 40)));
                    break;
                default:
                    break;
            }

            AddOneOffs(random, group, start, end);
            groups.Add(group);
        }

        return groups;
    }

    /// <summary>Credits (20% of groups, one or two) and corrections (15%, one) booked on days between <paramref name="from"/> and <paramref name="to"/>.</summary>
    private static void AddOneOffs(Randomizer random, GroupModel group, DateOnly from, DateOnly to)
    {
        DateOnly AnyDay() => from.AddDays(random.Int(0, to.DayNumber - from.DayNumber));
        if (random.Bool(0.20f))
        {
            for (var i = random.Int(1, 2); i > 0; i--)
            {
                group.Adjust(AnyDay(), -group.BaseLevel * random.Double(0.5, 3));
            }
        }

        if (random.Bool(0.15f))
        {
            group.Adjust(AnyDay(), (random.Bool() ? 1 : -1) * group.BaseLevel * random.Double(0.3, 2));
        }
    }

    private static double ShiftFactor(Randomizer random) => random.Bool() ? random.Double(1.2, 3) : random.Double(0.3, 0.85);

    private static double DriftChange(Randomizer random) => random.Bool(0.6f) ? random.Double(0.1, 1.5) : random.Double(-0.6, -0.1);
}
