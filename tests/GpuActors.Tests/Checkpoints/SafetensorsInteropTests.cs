using System.Text.Json;
using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

// The real `safetensors` package is not installable here (no PyPI, no Debian package), so
// read_safetensors.py, a strict reader/writer written from the format spec on top of
// Debian's torch, stands in for it.
public class SafetensorsInteropTests
{
    [Fact]
    public async Task A_checkpoint_we_write_reads_in_python_with_the_same_tensors_metadata_and_a_valid_checksum()
    {
        using var dir = new TempDirectory();
        var path = dir.File("step-000000042.safetensors");
        using var net = new TinyNet();
        var content = CheckpointContent.Capture(net, 42, "{\"model\": \"tiny\"}");
        foreach (var (name, t) in Samples.EveryDType()) content.Add(CheckpointSections.Hyper + name, t);
        await CheckpointWriter.WriteAsync(path, content, CancellationToken.None);

        var python = await PythonSafetensors.SummaryAsync("read", path);

        Assert.Equal("ok", python.GetProperty("checksum").GetString());
        Assert.Equal("42", python.GetProperty("metadata").GetProperty("hs.step").GetString());
        Assert.Equal("{\"model\": \"tiny\"}", python.GetProperty("metadata").GetProperty("hs.config").GetString());
        var tensors = python.GetProperty("tensors");
        Assert.Equal(content.Tensors.Select(t => t.Name), tensors.EnumerateObject().Select(p => p.Name));
        foreach (var (name, tensor) in content.Tensors) PythonSafetensors.AssertSame(name, tensor, tensors.GetProperty(name));
    }

    [Fact]
    public async Task A_file_python_writes_reads_here_with_the_same_tensors_and_metadata()
    {
        using var dir = new TempDirectory();
        var path = dir.File("python.safetensors");

        var python = await PythonSafetensors.SummaryAsync("write", path);
        using var reader = SafetensorsReader.Open(path);

        Assert.Equal("ö", reader.Header.Metadata["ü"]);
        var tensors = python.GetProperty("tensors");
        Assert.Equal(tensors.EnumerateObject().Select(p => p.Name), reader.Header.Entries.Select(e => e.Name));
        foreach (var entry in reader.Header.Entries)
        {
            var data = new byte[entry.ByteLength];
            reader.ReadNext(entry, data);
            PythonSafetensors.AssertSame(entry.Name, new HostTensor(entry.DType, entry.Shape.ToArray(), data), tensors.GetProperty(entry.Name));
        }
    }

    [Fact]
    public async Task Python_rejects_a_checkpoint_whose_data_was_modified_using_the_documented_checksum()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.safetensors");
        await CheckpointWriter.WriteAsync(path, Samples.Content(bigFloats: 64), CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^3] ^= 0x10;
        await File.WriteAllBytesAsync(path, bytes);

        var (code, _, stderr) = await PythonSafetensors.RunAsync("read", path);

        Assert.Equal(1, code);
        Assert.Contains("checksum mismatch", stderr, StringComparison.Ordinal);
    }
}
