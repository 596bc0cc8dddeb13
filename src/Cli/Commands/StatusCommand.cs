using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using HyperSwarm.Cli.Network;
using HyperSwarm.Cli.Worker;
using HyperSwarm.Coordinator.Node;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary>
/// <c>hyperswarm status ADDR [--json]</c>: the population of a running coordinator: each
/// member's state, worker, step, validation loss and accuracy and hyperparameters, and the
/// lineage of its weights.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var address = new Argument<string>("address") { Description = "The coordinator, HOST:PORT or http://HOST:PORT." };
        var json = new Option<bool>("--json") { Description = "Print the population as one JSON object (the GetPopulation message)." };
        var tokenFile = new Option<string?>("--token-file") { Description = "File holding the cluster token (default: HYPERSWARM_CLUSTER_TOKEN)." };
        var command = new Command("status", "Show the population of a running coordinator.");
        command.Arguments.Add(address);
        command.Options.Add(json);
        command.Options.Add(tokenFile);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var uri = NodeAddress.ParsePeer("the coordinator address", parse.GetValue(address)!);
            using var channel = ClusterChannel.Open(uri, new ClusterChannelOptions { Token = ClusterTokenFile.Load(parse.GetValue(tokenFile), NullLogger.Instance) });
            var population = await new Protocol.V1.Coordinator.CoordinatorClient(channel).GetPopulationAsync(
                new GetPopulationRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true)).Format(population));
                return 0;
            }
            Print(AnsiConsole.Console, population);
            return 0;
        });
        return command;
    }

    /// <summary>The population table and the lineage lines.</summary>
    public static void Print(IAnsiConsole console, Population population)
    {
        console.MarkupLine($"[bold]run[/] {Markup.Escape(population.RunId)} · {population.Members.Count} members · event {population.Sequence}");
        console.Write(Table(population));
        var lineage = Lineage(population);
        if (lineage.Count > 0)
        {
            console.MarkupLine("[bold]lineage[/] (whose weights each member carries)");
            foreach (var line in lineage) console.WriteLine("  " + line);
        }
    }

    public static Table Table(Population population)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("member").AddColumn("state").AddColumn("worker").AddColumn(new TableColumn("step").RightAligned())
            .AddColumn(new TableColumn("val loss").RightAligned()).AddColumn(new TableColumn("val acc").RightAligned()).AddColumn("hyperparameters");
        foreach (var m in population.Members.OrderBy(m => m.MemberId, StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(m.MemberId),
                State(m.State),
                Markup.Escape(m.WorkerId.Length == 0 ? "–" : m.WorkerId),
                m.Step.ToString(CultureInfo.InvariantCulture),
                Number(m.ValidationLoss, "G4"),
                Number(m.ValidationAccuracy, "P2"),
                Markup.Escape(string.Join(" ", (m.Hyperparameters?.Hyperparameters ?? []).Select(h => $"{h.Name}={h.Constrained.ToString("G3", CultureInfo.InvariantCulture)}"))));
        }
        return table;
    }

    // m05 ← m02 ← m00: follow each member's parent (the member it last took weights from).
    private static List<string> Lineage(Population population)
    {
        var parents = population.Members.ToDictionary(m => m.MemberId, m => m.ParentMemberId, StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var member in parents.Keys.Order(StringComparer.Ordinal))
        {
            if (parents[member].Length == 0) continue;
            var chain = new List<string> { member };
            var seen = new HashSet<string>(StringComparer.Ordinal) { member };
            for (var p = parents[member]; p.Length > 0 && seen.Add(p); p = parents.GetValueOrDefault(p, ""))
                chain.Add(p);
            lines.Add(string.Join(" ← ", chain));
        }
        return lines;
    }

    private static string State(MemberState state) => state switch
    {
        MemberState.Running => "[green]running[/]",
        MemberState.Pending => "[yellow]pending[/]",
        MemberState.Finished => "[blue]finished[/]",
        MemberState.Failed => "[red]failed[/]",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Number(double value, string format) =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "–";
}
