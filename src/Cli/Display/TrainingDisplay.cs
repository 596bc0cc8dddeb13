using System.Globalization;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HyperSwarm.Cli.Display;

/// <summary>
/// What a user watches while <c>hyperswarm train</c> runs: a live panel (progress bar, epoch,
/// step, losses, accuracy, images/s, and every hyperparameter's current value) on a terminal;
/// one plain line per report when the output is redirected (CI logs, files). All calls come
/// from the training thread.
/// </summary>
internal sealed class TrainingDisplay
{
    private static readonly TimeSpan RedrawEvery = TimeSpan.FromMilliseconds(250);
    private readonly IAnsiConsole console;
    private readonly string title;
    private readonly bool live;
    private readonly List<string> notices = [];
    private LiveDisplayContext? context;
    private TrainingProgress? progress;
    private Evaluation? validation;
    private long steps;
    private DateTime lastDraw;

    private readonly Action<ImageDecodeProgress>? decoding;

    /// <summary>A display titled <paramref name="title"/>; image folder decoding goes to <paramref name="decoding"/>.</summary>
    public TrainingDisplay(IAnsiConsole console, string title, Action<ImageDecodeProgress>? decoding = null)
    {
        this.console = console;
        this.title = title;
        this.decoding = decoding;
        live = console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
    }

    /// <summary>Callbacks for the run to call.</summary>
    public TrainingObserver Observer => new()
    {
        Progress = OnProgress,
        Step = (step, _, _) => OnStep(step),
        Evaluated = OnEvaluated,
        Notice = OnNotice,
        Decoding = decoding,
    };

    /// <summary>Runs <paramref name="work"/> inside the live display (or plainly when redirected).</summary>
    public T Show<T>(Func<T> work)
    {
        if (!live) return work();
        T result = default!;
        console.Live(Render()).AutoClear(false).Overflow(VerticalOverflow.Ellipsis).Start(ctx =>
        {
            context = ctx;
            result = work();
            ctx.UpdateTarget(Render());
            ctx.Refresh();
        });
        context = null;
        return result;
    }

    private void OnStep(long step)
    {
        steps = step;
        if (context is null || DateTime.UtcNow - lastDraw < RedrawEvery) return;
        Redraw();
    }

    private void OnProgress(TrainingProgress p)
    {
        progress = p;
        if (context is not null)
        {
            Redraw();
            return;
        }

        var tuned = string.Join(" ", p.Hyperparameters.Where(h => p.Tuned.Contains(h.Key)).Select(h => $"{Short(h.Key)}={Format(h.Value)}"));
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{p.Fraction,4:P0}] epoch {p.Epoch:F2} step {p.WeightSteps} {p.Phase} loss {p.TrainLoss:F4}{(double.IsFinite(p.HyperLoss) ? $" val-loss {p.HyperLoss:F4}" : "")}{(validation is { } v ? $" val-acc {v.Accuracy:P2}" : "")} {p.ImagesPerSecond:F0} img/s {tuned}"));
    }

    private void OnEvaluated(string split, Evaluation e)
    {
        if (split == "validation") validation = e;
        var line = string.Create(CultureInfo.InvariantCulture, $"{split}: accuracy {e.Accuracy:P2}, loss {e.Loss:F4} ({e.Examples} images)");
        if (context is null) console.WriteLine(line);
        else OnNotice(line);
    }

    private void OnNotice(string message)
    {
        if (context is null)
        {
            console.WriteLine(message);
            return;
        }

        notices.Add(message);
        if (notices.Count > 4) notices.RemoveAt(0);
        Redraw();
    }

    private void Redraw()
    {
        lastDraw = DateTime.UtcNow;
        context!.UpdateTarget(Render());
        context.Refresh();
    }

    private IRenderable Render()
    {
        var p = progress;
        var fraction = p?.Fraction ?? 0;
        var stats = new Grid().AddColumn().AddColumn().AddColumn().AddColumn();
        stats.AddRow(
            Stat("epoch", p is null ? "–" : p.Epoch.ToString("F2", CultureInfo.InvariantCulture)),
            Stat("step", Math.Max(steps, p?.WeightSteps ?? 0).ToString(CultureInfo.InvariantCulture)),
            Stat("phase", p?.Phase ?? "starting"),
            Stat("images/s", p is null ? "–" : p.ImagesPerSecond.ToString("F0", CultureInfo.InvariantCulture)));
        stats.AddRow(
            Stat("train loss", p is null ? "–" : Format(p.TrainLoss)),
            Stat("val loss (hyper)", p is null || !double.IsFinite(p.HyperLoss) ? "–" : Format(p.HyperLoss)),
            Stat("val accuracy", validation is { } v ? v.Accuracy.ToString("P2", CultureInfo.InvariantCulture) : "–"),
            Stat(p?.LearningRate is not null ? "learning rate" : "AGD step η", p is null ? "–" : Format(p.LearningRate ?? p.AgdStepSize ?? double.NaN)));

        var hyper = new Table().Border(TableBorder.Simple).AddColumn("hyperparameter").AddColumn(new TableColumn("value").RightAligned()).AddColumn("");
        if (p is not null)
        {
            foreach (var (name, value) in p.Hyperparameters.OrderBy(h => h.Key, StringComparer.Ordinal))
            {
                hyper.AddRow(Markup.Escape(name), Format(value), p.Tuned.Contains(name) ? "[green]tuned[/]" : "[grey]fixed[/]");
            }
        }

        var elapsed = p?.Elapsed ?? TimeSpan.Zero;
        var bar = $"{Bar(fraction, 40)} {fraction.ToString("P0", CultureInfo.InvariantCulture)}  {Clock(elapsed)}";
        var rows = new List<IRenderable> { new Markup(bar), stats, hyper };
        rows.AddRange(notices.Select(n => new Markup($"[grey]{Markup.Escape(n)}[/]")));
        return new Panel(new Rows(rows)).Header(Markup.Escape(title)).Border(BoxBorder.Rounded);
    }

    private static Markup Stat(string name, string value) => new($"[grey]{Markup.Escape(name)}[/] [bold]{Markup.Escape(value)}[/]");

    private static string Bar(double fraction, int width)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return $"[green]{new string('━', filled)}[/][grey]{new string('━', width - filled)}[/]";
    }

    private static string Clock(TimeSpan t) => t.ToString(t.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);

    /// <summary>A hyperparameter's name in a progress line: drop.block1, cutout_length (population lines use it too).</summary>
    internal static string Short(string name) => name.Replace("dropout.", "drop.", StringComparison.Ordinal).Replace("augment.", "", StringComparison.Ordinal);

    private static string Format(double value) => double.IsFinite(value)
        ? value.ToString(Math.Abs(value) >= 100 || value == Math.Floor(value) ? "G6" : "F4", CultureInfo.InvariantCulture)
        : "–";
}
