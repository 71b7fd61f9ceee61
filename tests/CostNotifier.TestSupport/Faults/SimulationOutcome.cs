namespace CostNotifier.Testing.Faults;

/// <summary>What one simulated schedule did.</summary>
public sealed class SimulationOutcome
{
    public int Rounds { get; set; }

    public int Deliveries { get; set; }

    public int DuplicateDeliveries { get; set; }

    public int HeldBack { get; set; }

    public int ConcurrentRounds { get; set; }

    public int ItemFailures { get; set; }

    public int Published { get; set; }

    public int SchedulerRetries { get; set; }

    public int Redriven { get; set; }

    public int Events { get; set; }

    public int Emails { get; set; }

    public int ExpectedEmails { get; set; }

    public int PoisonMessages { get; set; }

    public List<string> WholeBatchFailures { get; } = [];

    public List<string> DeadLetteredInPhase1 { get; } = [];

    public List<string> Lost { get; } = [];
}
