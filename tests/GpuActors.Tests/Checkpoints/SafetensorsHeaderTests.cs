using System.Text;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class SafetensorsHeaderTests
{
    private static readonly Dictionary<string, string> NoMetadata = [];

    [Fact]
    public void Header_is_padded_with_spaces_to_a_multiple_of_eight_bytes()
    {
        for (var nameLength = 1; nameLength <= 9; nameLength++)
        {
            var header = SafetensorsHeader.Create([(new string('x', nameLength), HostTensor.FromArray<float>([1f], 1))], NoMetadata);

            var bytes = header.ToBytes();

            Assert.Equal(0, bytes.Length % 8);
            Assert.Equal('}', (char)Encoding.UTF8.GetString(bytes).TrimEnd(' ')[^1]);
        }
    }

    [Fact]
    public void Tensors_are_laid_out_back_to_back_in_the_given_order()
    {
        var header = SafetensorsHeader.Create(Samples.EveryDType(), NoMetadata);

        long expected = 0;
        foreach (var e in header.Entries)
        {
            Assert.Equal(expected, e.Begin);
            expected = e.End;
        }

        Assert.Equal(expected, header.DataLength);
    }

    [Fact]
    public void Parsing_what_was_serialised_gives_the_same_entries_and_metadata()
    {
        var metadata = new Dictionary<string, string> { ["config"] = "{\"a\": [1, 2]}", ["ü"] = "ö" };
        var header = SafetensorsHeader.Create(Samples.EveryDType(), metadata);

        var parsed = SafetensorsHeader.Parse("x.safetensors", header.ToBytes(), header.DataLength);

        Assert.Equal(header.Entries.Select(e => (e.Name, e.DType, string.Join(",", e.Shape), e.Begin, e.End)),
            parsed.Entries.Select(e => (e.Name, e.DType, string.Join(",", e.Shape), e.Begin, e.End)));
        Assert.Equal(metadata, parsed.Metadata);
    }

    [Fact]
    public void Header_json_uses_the_safetensors_field_names_and_dtype_spellings()
    {
        var header = SafetensorsHeader.Create([("w", new HostTensor(DType.BFloat16, [2], new byte[4]))], new Dictionary<string, string> { ["k"] = "v" });

        var text = Encoding.UTF8.GetString(header.ToBytes()).TrimEnd();

        Assert.Equal("{\"__metadata__\":{\"k\":\"v\"},\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", text);
    }

    [Theory]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]", "not valid JSON")]
    [InlineData("{\"a\": {\"dtype\": \"F8_E4M3\", \"shape\": [1], \"data_offsets\": [0, 1]}}", "unsupported dtype 'F8_E4M3'")]
    [InlineData("{\"a\": {\"dtype\": \"f32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", "unsupported dtype 'f32'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", "non-negative integers")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", "non-negative integers")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 4]}}", "needs 8")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", "ordered [begin, end]")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1]}}", "lacks dtype, shape or data_offsets")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4], \"extra\": 1}}", "unexpected, repeated or mistyped field 'extra'")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", "a gap")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", "an overlap")]
    [InlineData("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}, \"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", "names 'a' twice")]
    [InlineData("{\"__metadata__\": {\"k\": 1}}", "non-string __metadata__ value")]
    [InlineData("{\"a\": {\"dtype\": \"U8\", \"shape\": [4611686018427387904, 4], \"data_offsets\": [0, 4]}}", "overflows")]
    public void Malformed_headers_are_rejected_with_a_sentence_naming_the_file(string json, string problem)
    {
        var e = Assert.Throws<CheckpointException>(() => SafetensorsHeader.Parse("bad.safetensors", Encoding.UTF8.GetBytes(json), 8));

        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("Checkpoint file 'bad.safetensors' ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_beyond_the_last_tensor_is_rejected()
    {
        var json = "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}"u8.ToArray();

        var e = Assert.Throws<CheckpointException>(() => SafetensorsHeader.Parse("f", json, 12));

        Assert.Contains("8 bytes after the last tensor", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_shorter_than_the_header_says_is_reported_as_truncation()
    {
        var json = "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]}}"u8.ToArray();

        var e = Assert.Throws<CheckpointException>(() => SafetensorsHeader.Parse("f", json, 10));

        Assert.Contains("is truncated", e.Message, StringComparison.Ordinal);
    }
}
