using System.Globalization;
using HyperSwarm.GpuActors.Worker;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HyperSwarm.Cli.Display;

/// <summary>
/// What a user watches while <c>hyperswarm worker</c> runs: on a terminal, a live panel with the
/// connection to the coordinator, one row per member (state, step, loss, validation accuracy,
/// images/s, hyperparameters) and the latest log lines; redirected (cluster logs), timestamped
/// plain lines: one per member report and one per log entry. Calls come from the node's event
/// loop, its connect loop and its loggers, so every one takes the lock.
/// </summary>
internal sealed class WorkerDisplay
{
    private const int NoticeLines = 6;
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(250);
    private readonly IAnsiConsole console;
    private readonly string title;
    private readonly bool live;
    private readonly TimeProvider time;
    private readonly object gate = new();
    private readonly SortedDictionary<string, MemberLine> members = new(StringComparer.Ordinal);
    private readonly List<string> notices = [];
    private string connection;
    private LiveDisplayContext? context;
    private DateTimeOffset lastDraw;

    public WorkerDisplay(IAnsiConsole console, string workerId, Uri coordinator, TimeProvider? time = null)
        : this(console, $"hyperswarm worker {workerId} · coordinator {coordinator.GetLeftPart(UriPartial.Authority)}",
            $"joining {coordinator.GetLeftPart(UriPartial.Authority)}", time)
    {
    }

    /// <summary>A panel with its own title and first connection line: <c>hyperswarm run</c> shows all its local workers' members in one.</summary>
    public WorkerDisplay(IAnsiConsole console, string title, string connection, TimeProvider? time = null)
    {
        this.console = console;
        this.time = time ?? TimeProvider.System;
        this.title = title;
        this.connection = connection;
        live = console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
    }

    /// <summary>Replaces the connection line (the embedded run says how many local workers have joined).</summary>
    public void Connection(string text)
    {
        lock (gate)
        {
            connection = text;
            if (context is not null) Redraw(force: true);
        }
    }

    /// <summary>Runs <paramref name="work"/> inside the live panel, or plainly when the output is redirected.</summary>
    public async Task<T> ShowAsync<T>(Func<Task<T>> work)
    {
        if (!live)
        {
            Line(title);
            return await work().ConfigureAwait(false);
        }

        T result = default!;
        await console.Live(Render()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).StartAsync(async ctx =>
        {
            lock (gate) context = ctx;
            try
            {
                result = await work().ConfigureAwait(false);
            }
            finally
            {
                lock (gate)
                {
                    context = null;
                    ctx.UpdateTarget(Render());
                }

                ctx.Refresh();
            }
        }).ConfigureAwait(false);
        return result;
    }

    /// <summary>A member event from the node (<see cref="WorkerNodeOptions.OnMemberEvent"/>).</summary>
    public void OnMemberEvent(MemberEvent e)
    {
        lock (gate)
        {
            if (!members.TryGetValue(e.MemberId, out var member)) members[e.MemberId] = member = new MemberLine(e.MemberId);
            var reported = member.Apply(e);
            if (context is not null) Redraw(force: !reported);
            else if (reported) Line(member.ToText());
        }
    }

    /// <summary>The node joined (<see cref="WorkerNodeOptions.OnJoined"/>).</summary>
    public void Joined(JoinResponse response)
    {
        lock (gate)
        {
            var run = response.Run?.RunId is { Length: > 0 } id ? $", run {id}" : "";
            connection = string.Create(CultureInfo.InvariantCulture, $"joined (lease epoch {response.Lease?.Epoch ?? 0}{run})");
            if (context is not null) Redraw(force: true);
        }
    }

    /// <summary>A join or session failed and will be retried (<see cref="WorkerNodeOptions.OnUnreachable"/>); the node logs the line itself.</summary>
    public void Unreachable(RpcException error, TimeSpan retryIn)
    {
        lock (gate)
        {
            connection = string.Create(CultureInfo.InvariantCulture, $"unreachable ({error.Status.Describe()}); retrying in {retryIn.TotalSeconds:F1} s");
            if (context is not null) Redraw(force: true);
        }
    }

    /// <summary>One log line: printed when redirected, kept among the panel's last lines on a terminal.</summary>
    public void Notice(string message)
    {
        lock (gate)
        {
            if (context is null)
            {
                Line(message);
                return;
            }

            notices.Add(message);
            if (notices.Count > NoticeLines) notices.RemoveAt(0);
            Redraw(force: true);
        }
    }

    // Under the lock. Straight to the writer: Spectre would wrap at its guessed width, and a
    // log line split in two is harder to grep.
    private void Line(string text) =>
        console.Profile.Out.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow():HH:mm:ss} {text}"));

    // Under the lock; reports arrive every few steps per member, so they redraw at most 4 times a second.
    private void Redraw(bool force)
    {
        var now = time.GetUtcNow();
        if (!force && now - lastDraw < RedrawEvery) return;
        lastDraw = now;
        context!.UpdateTarget(Render());
        context.Refresh();
    }

    private IRenderable Render()
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("member").AddColumn("state").AddColumn(new TableColumn("step").RightAligned())
            .AddColumn(new TableColumn("loss").RightAligned()).AddColumn(new TableColumn("val acc").RightAligned())
            .AddColumn(new TableColumn("img/s").RightAligned()).AddColumn("hyperparameters");
        foreach (var m in members.Values)
        {
            table.AddRow(
                Markup.Escape(m.MemberId), Markup.Escape(m.State), m.Step.ToString(CultureInfo.InvariantCulture),
                MemberLine.Number(m.TrainLoss), Markup.Escape(MemberLine.Percent(m.ValidationAccuracy)),
                MemberLine.Rate(m.ImagesPerSecond), Markup.Escape(m.HyperparameterText()));
        }

        var rows = new List<IRenderable> { new Markup($"[bold]coordinator[/] {Markup.Escape(connection)}") };
        rows.Add(members.Count == 0 ? new Markup("[grey]no members yet: waiting for the coordinator to start some[/]") : table);
        rows.AddRange(notices.Select(n => new Markup($"[grey]{Markup.Escape(n)}[/]")));
        return new Panel(new Rows(rows)).Header(Markup.Escape(title)).Border(BoxBorder.Rounded);
    }
}
