using System.Globalization;
using System.Text.Json;

namespace HyperSwarm.Bench;

/// <summary>
/// Our side of the serve protocol that <see cref="InterleavedPeer"/> speaks: one JSON ready
/// line, then for each <c>run N</c> line the images/s of N steps. Lets a benchmark measure
/// HyperSwarm in fresh processes too, exactly as it measures the Python peer.
/// </summary>
public static class StepServer
{
    /// <summary>Serves <paramref name="measure"/> (steps → images/s) until stdin closes.</summary>
    public static async Task ServeAsync(Func<int, Task<double>> measure, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync(JsonSerializer.Serialize(new { ready = true, torch = Torch.Torch.Version })).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        while (await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length != 2 || words[0] != "run") break;
            var rate = await measure(int.Parse(words[1], CultureInfo.InvariantCulture)).ConfigureAwait(false);
            await output.WriteLineAsync(JsonSerializer.Serialize(new { images_per_s = rate })).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
