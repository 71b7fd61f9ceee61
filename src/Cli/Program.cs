using CostNotifier.Cli;

return await CliApp.RunAsync(args, Console.Out, Console.Error, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
