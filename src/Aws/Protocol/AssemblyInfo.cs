using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("CostNotifier.UnitTests")]
[assembly: InternalsVisibleTo("CostNotifier.IntegrationTests")]
