using System.Security.Cryptography;
using System.Text;
using HyperSwarm.GpuActors.Checkpoints;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class CheckpointChecksumTests
{
    [Fact]
    public async Task The_checksum_is_sha256_of_the_whole_file_with_its_own_digits_zeroed()
    {
        using var s = new MemoryStream();
        await CheckpointWriter.WriteToAsync(s, Samples.Content(), CancellationToken.None);
        var file = s.ToArray();
        var text = Encoding.Latin1.GetString(file);
        var at = text.IndexOf("\"hs.sha256\":\"", StringComparison.Ordinal) + 13;
        var stored = text.Substring(at, 64);

        Encoding.ASCII.GetBytes(new string('0', 64)).CopyTo(file, at);

        Assert.Equal(stored, Convert.ToHexStringLower(SHA256.HashData(file)));
    }

    [Fact]
    public void Sealing_writes_the_digest_over_the_placeholder_without_changing_the_header_length()
    {
        var metadata = new Dictionary<string, string> { [CheckpointChecksum.MetadataKey] = CheckpointChecksum.Placeholder };
        var tensors = Samples.EveryDType();
        var header = SafetensorsHeader.Create(tensors, metadata).ToBytes();
        var length = header.Length;

        var digest = CheckpointChecksum.Seal(header, tensors.Select(t => t.Tensor.Data));

        Assert.Equal(length, header.Length);
        Assert.Contains($"\"{digest}\"", Encoding.UTF8.GetString(header), StringComparison.Ordinal);
        Assert.DoesNotContain(CheckpointChecksum.Placeholder, Encoding.UTF8.GetString(header), StringComparison.Ordinal);
    }

    [Fact]
    public void Sealing_a_header_without_a_placeholder_is_refused()
    {
        var header = SafetensorsHeader.Create(Samples.EveryDType(), new Dictionary<string, string>()).ToBytes();

        Assert.Throws<ArgumentException>(() => CheckpointChecksum.Seal(header, []));
    }

    [Fact]
    public async Task A_stored_value_that_is_not_64_lower_case_hex_digits_is_reported_as_malformed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("c.safetensors");
        await using (var s = File.Create(path))
        {
            var metadata = new Dictionary<string, string> { [CheckpointChecksum.MetadataKey] = new string('A', 64) };
            await SafetensorsWriter.WriteAsync(s, Samples.EveryDType(), metadata, CancellationToken.None);
        }

        using var reader = SafetensorsReader.Open(path);

        var e = Assert.Throws<CheckpointException>(() => CheckpointChecksum.Begin(reader));
        Assert.Contains("malformed 'hs.sha256' checksum", e.Message, StringComparison.Ordinal);
    }
}
