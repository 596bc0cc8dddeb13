using System.Text.Json;

namespace HyperSwarm.Torch.Tests.Support;

/// <summary>The cases of Fixtures/ops.json, written by Fixtures/make_fixtures.py with PyTorch.</summary>
internal static class Fixture
{
    private static readonly Lazy<Dictionary<string, JsonElement>> CasesByName = new(Load);

    public static IReadOnlyDictionary<string, JsonElement> Cases => CasesByName.Value;

    public static Tensor Decode(JsonElement spec)
    {
        var shape = spec.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        var data = spec.GetProperty("data");
        return spec.GetProperty("dtype").GetString() switch
        {
            "float64" => Tensor.FromArray<double>(data.EnumerateArray().Select(Number).ToArray(), shape),
            "float32" => Tensor.FromArray<float>(data.EnumerateArray().Select(e => (float)Number(e)).ToArray(), shape),
            "int64" => Tensor.FromArray<long>(data.EnumerateArray().Select(e => e.GetInt64()).ToArray(), shape),
            "bool" => Tensor.FromArray<bool>(data.EnumerateArray().Select(e => e.GetInt32() != 0).ToArray(), shape),
            "uint8" => Tensor.FromArray<byte>(data.EnumerateArray().Select(e => e.GetByte()).ToArray(), shape),
            var other => throw new InvalidDataException($"unknown dtype {other} in ops.json"),
        };
    }

    // Python writes NaN and Infinity as bare words, which System.Text.Json reads only as strings.
    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static Dictionary<string, JsonElement> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "ops.json");
        var options = new JsonDocumentOptions { AllowTrailingCommas = false };
        var text = File.ReadAllText(path).Replace("NaN", "\"NaN\"", StringComparison.Ordinal).Replace("-Infinity", "\"-Infinity\"", StringComparison.Ordinal);
        text = System.Text.RegularExpressions.Regex.Replace(text, "(?<![-\"])Infinity", "\"Infinity\"");
        var doc = JsonDocument.Parse(text, options);
        return doc.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.Clone());
    }
}
