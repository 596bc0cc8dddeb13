using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// One tensor's header record: its name, dtype, shape and byte range
/// [<see cref="Begin"/>, <see cref="End"/>) relative to the start of the data section.
/// </summary>
public sealed record SafetensorsEntry(string Name, DType DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>Bytes of raw data.</summary>
    public long ByteLength => End - Begin;
}
