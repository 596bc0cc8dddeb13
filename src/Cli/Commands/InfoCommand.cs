using System.CommandLine;
using System.Reflection;
using HyperSwarm.Cli.Info;
using HyperSwarm.Torch;
using Spectre.Console;

namespace HyperSwarm.Cli.Commands;

/// <summary><c>hyperswarm info</c>: versions, where libtorch was loaded from, threads, CUDA.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show versions, the libtorch in use, thread count and CUDA availability.");
        command.SetAction(_ =>
        {
            var rows = Collect().ToList();
            if (Console.IsOutputRedirected)
            {
                // Scripts and logs get one unwrapped "item: value" line per row.
                var width = rows.Max(r => r.Item.Length);
                foreach (var (item, value) in rows)
                {
                    Console.WriteLine($"{(item + ":").PadRight(width + 1)} {value}");
                }

                return 0;
            }

            var table = new Table().Border(TableBorder.Rounded).AddColumn("item").AddColumn("value");
            foreach (var (item, value) in rows)
            {
                table.AddRow(Markup.Escape(item), Markup.Escape(value));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static IEnumerable<(string Item, string Value)> Collect()
    {
        var version = typeof(InfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        yield return ("hyperswarm", version);
        yield return (".NET", Environment.Version.ToString());
        yield return ("libtorch", Torch.Torch.Version);
        yield return ("libtorch path", LoadedLibraries.Find("libtorch_cpu.so") ?? LoadedLibraries.Find("libtorch.so") ?? "not loaded");
        yield return ("shim path", LoadedLibraries.Find("libhstorch.so") ?? "not loaded");
        yield return ("threads", $"{Torch.Torch.NumThreads} (of {Environment.ProcessorCount} cores)");
        yield return ("host allocator", Torch.Torch.HostAllocatorTuned ? "keeps freed memory (glibc tuned)" : "glibc defaults");
        yield return ("CUDA compiled in", Cuda.CompiledIn ? "yes" : "no (CPU build)");
        yield return ("CUDA available", Cuda.IsAvailable ? $"yes, {Cuda.DeviceCount} device(s)" : "no");
    }
}
