using HyperSwarm.GpuActors.Worker;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Checkpoints;

/// <summary>
/// Copies a checkpoint from the worker that holds it (its <c>FetchCheckpoint</c>) into a local
/// file, atomically, verifying on arrival: chunks contiguous, the total as announced, the
/// SHA-256 of the bytes received equal to the sender's and to the checkpoint reference's. A
/// transfer that fails any check leaves no file and throws <see cref="CheckpointException"/>
/// naming the member and the file. One channel per peer, kept until disposal.
/// </summary>
public sealed class CheckpointFetcher(ClusterToken? token = null, int chunkBytes = WorkerService.DefaultChunkBytes) : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> channels = new(StringComparer.Ordinal);

    /// <summary>Fetches the checkpoint <paramref name="source"/> refers to into <paramref name="destination"/>; returns its size.</summary>
    public async Task<long> FetchAsync(CheckpointRef source, string destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var request = new FetchCheckpointRequest { MemberId = source.MemberId, Step = source.Step, ChunkBytes = chunkBytes };
        using var call = new Protocol.V1.Worker.WorkerClient(Channel(source.WorkerAddress)).FetchCheckpoint(request, cancellationToken: cancellationToken);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(destination))!);
        long received = 0;
        await AtomicFile.WriteAsync(destination, async (file, ct) => received = await ReceiveAsync(source, call.ResponseStream, file, ct).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return received;
    }

    /// <summary>Closes every peer channel.</summary>
    public void Dispose()
    {
        foreach (var channel in channels.Values) channel.Dispose();
        channels.Clear();
    }

    private static async Task<long> ReceiveAsync(CheckpointRef source, IAsyncStreamReader<CheckpointChunk> chunks, Stream file, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long offset = 0;
        long? total = null;
        byte[]? sent = null;
        while (await chunks.MoveNext(cancellationToken).ConfigureAwait(false))
        {
            var chunk = chunks.Current;
            if (sent is not null) throw Corrupt(source, "went on after its last chunk");
            if (chunk.Offset != offset) throw Corrupt(source, $"sent a chunk at offset {chunk.Offset} where {offset} was due");
            total ??= chunk.TotalBytes;
            if (chunk.TotalBytes != total) throw Corrupt(source, $"changed its announced size from {total} to {chunk.TotalBytes} bytes");
            offset += chunk.Data.Length;
            if (offset > total) throw Corrupt(source, $"sent {offset} bytes of an announced {total}");
            hash.AppendData(chunk.Data.Span);
            await file.WriteAsync(chunk.Data.Memory, cancellationToken).ConfigureAwait(false);
            if (chunk.Last) sent = chunk.Sha256.ToByteArray();
        }

        if (sent is null) throw Corrupt(source, $"ended after {offset} bytes without its last chunk");
        if (offset != total) throw Corrupt(source, $"arrived with {offset} of {total} bytes");
        if (source.SizeBytes > 0 && offset != source.SizeBytes) throw Corrupt(source, $"is {offset} bytes, not the {source.SizeBytes} of its reference");
        var actual = hash.GetHashAndReset();
        if (!actual.AsSpan().SequenceEqual(sent)) throw Corrupt(source, $"failed its SHA-256 check on arrival (received {Hex(actual)}…, sender says {Hex(sent)}…)");
        if (!source.Sha256.IsEmpty && !actual.AsSpan().SequenceEqual(source.Sha256.Span))
        {
            throw Corrupt(source, $"does not match its reference's SHA-256 (received {Hex(actual)}…, reference {Hex(source.Sha256.ToByteArray())}…): it changed after the reference was taken");
        }

        return offset;
    }

    private GrpcChannel Channel(string address) =>
        channels.GetOrAdd(address, a => ClusterChannel.Open(ClusterChannel.PeerUri(a), new ClusterChannelOptions { Token = token }));

    private static CheckpointException Corrupt(CheckpointRef source, string problem) =>
        new(string.IsNullOrEmpty(source.Path) ? $"step {source.Step}" : source.Path, $"of member {source.MemberId} from {source.WorkerAddress} {problem}");

    private static string Hex(byte[] digest) => Convert.ToHexStringLower(digest)[..12];
}
