using System.Globalization;
using HyperSwarm.GpuActors.Data;
using Spectre.Console;

namespace HyperSwarm.Cli.Display;

/// <summary>
/// What a user watches while an image folder is decoded, once, before training or scoring: a
/// progress bar on a terminal, a line per tenth when the output is redirected. Nothing shows
/// when nothing is decoded (a cached folder, IDX or CIFAR files). <see cref="Report"/> is
/// called from the decoding threads, one call at a time.
/// </summary>
internal sealed class DecodeDisplay(IAnsiConsole console)
{
    private readonly bool live = console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;
    private ProgressContext? context;
    private ProgressTask? task;
    private int lastTenth = -1;

    /// <summary>Runs <paramref name="work"/> (which reports to <see cref="Report"/>) under the progress bar.</summary>
    public T Show<T>(Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!live) return work();
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                context = ctx;
                result = work();
            });
        context = null;
        return result;
    }

    /// <summary>The decode progress callback (<see cref="DatasetLoadOptions.Progress"/>).</summary>
    public void Report(ImageDecodeProgress progress)
    {
        if (context is not null)
        {
            task ??= context.AddTask($"decoding {progress.Total} images (once: later runs read the cache)", maxValue: progress.Total);
            task.Value = progress.Done;
            return;
        }

        var tenth = progress.Done * 10 / Math.Max(1, progress.Total);
        if (tenth == lastTenth) return;
        lastTenth = tenth;
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"decoding images: {progress.Done} of {progress.Total}"));
    }
}
