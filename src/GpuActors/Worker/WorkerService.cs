using HyperSwarm.GpuActors.Checkpoints;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Worker;

/// <summary>
/// The handlers of the <c>hyperswarm.v1.Worker</c> service: <c>FetchCheckpoint</c> streams a
/// member's checkpoint file out of the checkpoint root in chunks (offset and total on every
/// chunk, the SHA-256 of everything sent on the last), and <c>Status</c> describes the worker.
/// Served by the worker's <see cref="Protocol.Hosting.GrpcHost"/> on the generated base.
/// </summary>
public sealed class WorkerService(CheckpointRoot root, Func<WorkerStatus> status) : Protocol.V1.Worker.WorkerBase
{
    /// <summary>Chunk size when the request names none.</summary>
    public const int DefaultChunkBytes = 256 * 1024;

    /// <summary>The largest chunk sent, well under the 4 MiB message limit of a default peer.</summary>
    public const int MaxChunkBytes = 1024 * 1024;

    /// <summary>The smallest chunk sent, so a tiny preference cannot make a transfer crawl.</summary>
    public const int MinChunkBytes = 4 * 1024;

    /// <inheritdoc />
    public override Task<WorkerStatus> Status(StatusRequest request, ServerCallContext context) => Task.FromResult(status());

    /// <inheritdoc />
    public override async Task FetchCheckpoint(FetchCheckpointRequest request, IServerStreamWriter<CheckpointChunk> responseStream, ServerCallContext context)
    {
        var path = Locate(request);
        FileStream file;
        try
        {
            // Delete sharing: pruning may remove the file mid-transfer; this handle still reads it whole.
            file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read | FileShare.Delete, Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"member {request.MemberId} has no checkpoint at step {request.Step} on this worker."));
        }

        await using (file.ConfigureAwait(false))
        {
            await SendAsync(file, ChunkBytes(request.ChunkBytes), responseStream, context.CancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(FileStream file, int chunkBytes, IServerStreamWriter<CheckpointChunk> responses, CancellationToken cancellationToken)
    {
        var total = file.Length;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[chunkBytes];
        for (long offset = 0; ;)
        {
            var want = (int)Math.Min(chunkBytes, total - offset);
            var read = await file.ReadAtLeastAsync(buffer.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            hash.AppendData(buffer, 0, read);

            // A file that shrank under us ends early; the receiver sees offset ≠ total.
            var last = read < want || offset + read >= total;
            var chunk = new CheckpointChunk { Offset = offset, Data = ByteString.CopyFrom(buffer, 0, read), TotalBytes = total, Last = last };
            if (last) chunk.Sha256 = ByteString.CopyFrom(hash.GetHashAndReset());
            await responses.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
            offset += read;
            if (last) return;
        }
    }

    // (member, step) → a file inside the root, or the status that says why not.
    private string Locate(FetchCheckpointRequest request)
    {
        if (string.IsNullOrEmpty(request.MemberId)) throw new RpcException(new Status(StatusCode.InvalidArgument, "the request names no member."));
        if (request.Step < 0) throw new RpcException(new Status(StatusCode.InvalidArgument, $"step {request.Step} is negative."));
        if (!CheckpointRoot.IsValidMemberId(request.MemberId))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"'{request.MemberId}' is not a member id; only files inside the checkpoint root are served."));
        }

        var path = root.CheckpointPath(request.MemberId, request.Step);
        if (!root.Contains(path))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"the checkpoint of member {request.MemberId} at step {request.Step} leads outside the checkpoint root."));
        }

        return path;
    }

    private static int ChunkBytes(int preferred) => preferred <= 0 ? DefaultChunkBytes : Math.Clamp(preferred, MinChunkBytes, MaxChunkBytes);
}
