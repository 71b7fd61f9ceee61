using System.Runtime.CompilerServices;

// The unit tests check the SQL itself (e.g. that report reads use their index).
[assembly: InternalsVisibleTo("CostNotifier.UnitTests")]
