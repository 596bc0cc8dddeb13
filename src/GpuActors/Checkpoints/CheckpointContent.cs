namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Everything a checkpoint holds, in host memory: named tensors (sections by prefix, see
/// <see cref="CheckpointSections"/>), the step, the config JSON and free-form metadata.
/// Building and loading it from tensors happens on the actor thread (CheckpointContent.Tensors.cs);
/// writing and reading it needs no libtorch and may run anywhere.
/// </summary>
public sealed partial class CheckpointContent
{
    private readonly List<(string Name, HostTensor Tensor)> tensors = [];
    private readonly Dictionary<string, HostTensor> byName = new(StringComparer.Ordinal);

    /// <summary>The training step the checkpoint was taken at.</summary>
    public long Step { get; set; }

    /// <summary>The resolved config as JSON text.</summary>
    public string Config { get; set; } = "{}";

    /// <summary>Free-form string metadata; keys must not start with <c>hs.</c>.</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Where the content was read from, for error messages; null for content built in memory.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Every tensor in file order.</summary>
    public IReadOnlyList<(string Name, HostTensor Tensor)> Tensors => tensors;

    /// <summary>Total bytes of tensor data.</summary>
    public long DataBytes => tensors.Sum(t => t.Tensor.Data.LongLength);

    /// <summary>The tensor named <paramref name="name"/> (full name, with its prefix).</summary>
    public HostTensor this[string name] => byName.TryGetValue(name, out var t)
        ? t
        : throw new KeyNotFoundException($"the checkpoint has no tensor '{name}'");

    /// <summary>Adds a tensor under its full name; names are unique.</summary>
    public void Add(string name, HostTensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        if (name == SafetensorsHeader.MetadataKey || !byName.TryAdd(name, tensor))
        {
            throw new ArgumentException($"tensor name '{name}' is reserved or already in the checkpoint", nameof(name));
        }

        tensors.Add((name, tensor));
    }

    /// <summary>True and the tensor when <paramref name="name"/> is present.</summary>
    public bool TryGet(string name, out HostTensor tensor) => byName.TryGetValue(name, out tensor!);

    /// <summary>The tensors whose names start with <paramref name="prefix"/>, with the prefix removed.</summary>
    public IEnumerable<(string Name, HostTensor Tensor)> Section(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return tensors.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)).Select(t => (t.Name[prefix.Length..], t.Tensor));
    }

    /// <summary>The <c>__metadata__</c> map to store: the free-form entries plus step, config and format marker.</summary>
    public Dictionary<string, string> HeaderMetadata()
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Metadata)
        {
            if (k.StartsWith(CheckpointSections.ReservedMetadataPrefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"metadata key '{k}' uses the reserved prefix '{CheckpointSections.ReservedMetadataPrefix}'");
            }

            all[k] = v;
        }

        all[CheckpointSections.FormatKey] = CheckpointSections.FormatVersion;
        all[CheckpointSections.StepKey] = Step.ToString(System.Globalization.CultureInfo.InvariantCulture);
        all[CheckpointSections.ConfigKey] = Config;
        return all;
    }

    /// <summary>Rebuilds content from a file's metadata (the tensors are added by the reader).</summary>
    internal static CheckpointContent FromHeaderMetadata(string path, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(CheckpointSections.FormatKey, out var format) || format != CheckpointSections.FormatVersion)
        {
            throw new CheckpointException(path, $"is not a '{CheckpointSections.FormatVersion}' checkpoint (format marker '{format}')");
        }

        if (!metadata.TryGetValue(CheckpointSections.StepKey, out var stepText)
            || !long.TryParse(stepText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var step))
        {
            throw new CheckpointException(path, $"has a missing or malformed '{CheckpointSections.StepKey}' entry");
        }

        var content = new CheckpointContent
        {
            SourcePath = path,
            Step = step,
            Config = metadata.TryGetValue(CheckpointSections.ConfigKey, out var config) ? config : "{}",
        };
        foreach (var (k, v) in metadata)
        {
            if (!k.StartsWith(CheckpointSections.ReservedMetadataPrefix, StringComparison.Ordinal)) content.Metadata[k] = v;
        }

        return content;
    }
}
