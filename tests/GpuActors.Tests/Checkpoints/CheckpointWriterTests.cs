using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class CheckpointWriterTests
{
    [Fact]
    public async Task Metadata_holds_format_step_config_free_form_entries_and_the_checksum()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.safetensors");

        await CheckpointWriter.WriteAsync(path, Samples.Content(step: 7), CancellationToken.None);

        using var reader = SafetensorsReader.Open(path);
        var m = reader.Header.Metadata;
        Assert.Equal("hyperswarm-checkpoint/1", m["hs.format"]);
        Assert.Equal("7", m["hs.step"]);
        Assert.Equal("{\"model\": \"tiny\", \"lr\": 0.1}", m["hs.config"]);
        Assert.Equal("written by a test — ünïcode kept", m["note"]);
        Assert.Matches("^[0-9a-f]{64}$", m["hs.sha256"]);
    }

    [Fact]
    public async Task Writing_the_same_content_twice_gives_identical_bytes()
    {
        using var a = new MemoryStream();
        using var b = new MemoryStream();

        await CheckpointWriter.WriteToAsync(a, Samples.Content(), CancellationToken.None);
        await CheckpointWriter.WriteToAsync(b, Samples.Content(), CancellationToken.None);

        Assert.Equal(a.ToArray(), b.ToArray());
    }

    [Fact]
    public async Task Free_form_metadata_may_not_use_the_reserved_prefix()
    {
        var content = Samples.Content();
        content.Metadata["hs.step"] = "5";
        using var s = new MemoryStream();

        await Assert.ThrowsAsync<InvalidOperationException>(() => CheckpointWriter.WriteToAsync(s, content, CancellationToken.None));
    }
}
