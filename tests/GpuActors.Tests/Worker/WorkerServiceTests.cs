using System.Security.Cryptography;
using Google.Protobuf;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Tests.Checkpoints;
using HyperSwarm.GpuActors.Worker;
using Grpc.Core;
using Grpc.Net.Client;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.GpuActors.Tests.Worker;

// Checkpoints travel worker to worker over real loopback gRPC: what arrives must be exactly
// what was referenced, a damaged transfer must leave nothing behind, and no request may read
// a file outside the serving worker's checkpoint root.
public sealed class WorkerServiceTests : IAsyncLifetime
{
    private const int FileBytes = 700_000; // 11 chunks of 64 KiB
    private const int ChunkBytes = 64 * 1024;
    private readonly TempDirectory runs = new();
    private readonly CheckpointFetcher fetcher = new(chunkBytes: ChunkBytes);
    private readonly WorkerStatus status = new() { WorkerId = "w1", Devices = { new DeviceStatus { Name = "cpu", MemberIds = { "m1" } } } };
    private CheckpointRoot root = null!;
    private GrpcHost server = null!;
    private GrpcChannel channel = null!;
    private string file = null!;
    private byte[] bytes = null!;

    public async Task InitializeAsync()
    {
        root = new CheckpointRoot(runs.File("root"));
        file = root.CheckpointPath("m1", 10);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        bytes = new byte[FileBytes];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(file, bytes);
        server = new GrpcHost(new GrpcHostOptions()).AddService(new WorkerService(root, () => status));
        await server.StartAsync();
        channel = ClusterChannel.Open(server.Address);
    }

    [Fact]
    public async Task A_checkpoint_streams_in_chunks_and_arrives_intact()
    {
        var destination = runs.File("copy/step-10.safetensors");

        var size = await fetcher.FetchAsync(Reference(), destination, CancellationToken.None);
        var chunks = await ReadAllAsync(new FetchCheckpointRequest { MemberId = "m1", Step = 10, ChunkBytes = ChunkBytes });

        Assert.Equal(FileBytes, size);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(destination));
        Assert.Equal(11, chunks.Count);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (long)i * ChunkBytes), chunks.Select(c => c.Offset));
        Assert.All(chunks, c => Assert.Equal(FileBytes, c.TotalBytes));
        Assert.Equal([.. Enumerable.Repeat(false, 10), true], chunks.Select(c => c.Last));
        Assert.Equal(SHA256.HashData(bytes), chunks[^1].Sha256.ToByteArray());
        Assert.All(chunks.SkipLast(1), c => Assert.True(c.Sha256.IsEmpty));
    }

    [Fact]
    public async Task A_chunk_corrupted_in_transit_is_detected_and_leaves_no_file()
    {
        // A relay that passes the real stream through but flips one byte of the third chunk.
        await using var tampering = new GrpcHost(new GrpcHostOptions()).AddService(new TamperingRelay(new Protocol.V1.Worker.WorkerClient(channel), 2 * ChunkBytes));
        await tampering.StartAsync();
        var source = Reference();
        source.WorkerAddress = $"127.0.0.1:{tampering.Address.Port}";
        var destination = runs.File("copy/step-10.safetensors");

        var e = await Assert.ThrowsAsync<CheckpointException>(() => fetcher.FetchAsync(source, destination, CancellationToken.None));

        Assert.Contains("member m1", e.Message, StringComparison.Ordinal);
        Assert.Equal(file, e.Path);
        Assert.Contains("failed its SHA-256 check on arrival", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(runs.File("copy")));
    }

    [Fact]
    public async Task A_file_that_changed_after_its_reference_was_taken_is_detected()
    {
        var source = Reference();
        bytes[FileBytes / 2] ^= 0x80;
        await File.WriteAllBytesAsync(file, bytes); // the sender now streams, and hashes, other bytes
        var destination = runs.File("copy/step-10.safetensors");

        var e = await Assert.ThrowsAsync<CheckpointException>(() => fetcher.FetchAsync(source, destination, CancellationToken.None));

        Assert.Contains("member m1", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not match its reference's SHA-256", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(destination));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("..")]
    [InlineData("/etc")]
    [InlineData("m1/../../outside")]
    [InlineData(".fetched")]
    public async Task A_member_id_that_is_not_a_plain_name_is_refused(string memberId)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new FetchCheckpointRequest { MemberId = memberId, Step = 10 }));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task Links_that_lead_out_of_the_checkpoint_root_are_refused()
    {
        var outside = runs.File("outside");
        Directory.CreateDirectory(Path.Combine(outside, "checkpoints"));
        var secret = Path.Combine(outside, "checkpoints", CheckpointDirectory.FileName(10));
        await File.WriteAllTextAsync(secret, "not for you");
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "evil"), outside);             // a member folder
        Directory.CreateDirectory(Path.Combine(root.Path, "m2", "checkpoints"));
        File.CreateSymbolicLink(root.CheckpointPath("m2", 10), secret);                       // a checkpoint file

        var folder = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new FetchCheckpointRequest { MemberId = "evil", Step = 10 }));
        var single = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new FetchCheckpointRequest { MemberId = "m2", Step = 10 }));

        Assert.Equal(StatusCode.PermissionDenied, folder.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, single.StatusCode);
    }

    [Fact]
    public async Task A_missing_checkpoint_is_not_found_and_a_request_without_a_member_is_invalid()
    {
        var missing = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new FetchCheckpointRequest { MemberId = "m1", Step = 11 }));
        var unnamed = await Assert.ThrowsAsync<RpcException>(() => ReadAllAsync(new FetchCheckpointRequest { Step = 10 }));

        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Contains("member m1 has no checkpoint at step 11", missing.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, unnamed.StatusCode);
    }

    [Fact]
    public async Task Status_answers_with_the_workers_devices_and_members()
    {
        var answer = await new Protocol.V1.Worker.WorkerClient(channel).StatusAsync(new StatusRequest()).ResponseAsync;

        Assert.Equal(status, answer);
    }

    [Theory]
    [InlineData("m1", true)]
    [InlineData("member-07_b.2", true)]
    [InlineData("", false)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("m ü", false)]
    public void Member_ids_are_plain_names(string memberId, bool valid) => Assert.Equal(valid, CheckpointRoot.IsValidMemberId(memberId));

    public async Task DisposeAsync()
    {
        channel.Dispose();
        await server.DisposeAsync();
        fetcher.Dispose();
        runs.Dispose();
    }

    private CheckpointRef Reference() => new()
    {
        MemberId = "m1",
        Step = 10,
        WorkerAddress = $"127.0.0.1:{server.Address.Port}",
        Path = file,
        SizeBytes = FileBytes,
        Sha256 = ByteString.CopyFrom(SHA256.HashData(bytes)),
    };

    private async Task<List<CheckpointChunk>> ReadAllAsync(FetchCheckpointRequest request)
    {
        using var call = new Protocol.V1.Worker.WorkerClient(channel).FetchCheckpoint(request);
        var chunks = new List<CheckpointChunk>();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync()) chunks.Add(chunk);
        return chunks;
    }
}
