using System.Globalization;
using CsCheck;

namespace CostNotifier.Testing.Faults;

/// <summary>
/// One generated schedule: which report-days are requested how often (a schedule that fires twice, operator
/// replays with new request ids), hostile messages mixed in, a recipient whose emails bounce, the fault rates at
/// every seam and how the simulated event source mapping delivers (duplicates, two workers at once, reordered and
/// held-back messages). <see cref="Seed"/> drives every choice the run makes, so a schedule replays exactly.
/// </summary>
public sealed record PipelineSchedule(
    int Seed,
    int Reports,
    int Recipients,
    int Days,
    int ScheduledFires,
    int Replays,
    int PoisonMessages,
    bool BouncingRecipient,
    FaultRates Rates,
    int DuplicatePerMille,
    int ConcurrentPerMille,
    int ReorderPerMille,
    int HoldBackPerMille)
{
    /// <summary>Schedules as CsCheck generates and shrinks them: shrinking heads for fewer faults and less traffic.</summary>
    public static Gen<PipelineSchedule> Generator { get; } =
        from seed in Gen.Int
        from shape in Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 2], Gen.Int[0, 2], Gen.Int[0, 3], Gen.Int[0, 5])
        from faults in Gen.Select(Gen.Int[0, 25], Gen.Int[0, 15], Gen.Int[0, 15], Gen.Int[0, 15], Gen.Int[0, 20], Gen.Int[0, 250])
        from delivery in Gen.Select(Gen.Int[0, 300], Gen.Int[0, 600], Gen.Int[0, 1000], Gen.Int[0, 200])
        select new PipelineSchedule(
            seed,
            shape.Item1,
            shape.Item2,
            shape.Item3,
            shape.Item4,
            shape.Item5,
            shape.Item6,
            shape.Item7 == 0,
            new FaultRates(faults.Item1, faults.Item2, faults.Item3, faults.Item4, faults.Item5, faults.Item6),
            delivery.Item1,
            delivery.Item2,
            delivery.Item3,
            delivery.Item4);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"seed {Seed}: {Reports} reports × {Days} days, {Recipients} recipients max, schedule fires {ScheduledFires}×, {Replays} replays, {PoisonMessages} poison messages, bouncing recipient {BouncingRecipient}; faults: {Rates}; delivery: duplicate {DuplicatePerMille}‰, two workers {ConcurrentPerMille}‰, reorder {ReorderPerMille}‰, hold back {HoldBackPerMille}‰");
}
