using System.CommandLine;
using HyperSwarm.Cli;
using HyperSwarm.Cli.Commands;

var root = new RootCommand("HyperSwarm: image classifiers whose hyperparameters tune themselves.");
root.Options.Add(CliOptions.Verbose);
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
root.Subcommands.Add(ExportCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(CoordinatorCommand.Create());
root.Subcommands.Add(WorkerCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(BenchPeerCommand.Create());
return await CliRunner.RunAsync(root, args);
