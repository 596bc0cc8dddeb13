using System.Runtime.CompilerServices;

namespace HyperSwarm.Coordinator.Tests.Population;

/// <summary>
/// Runs every testdata/population/*.txt transcript. Set HYPERSWARM_REWRITE_TRANSCRIPTS=1 to write
/// the actual output back into the source files instead (then review the diff before committing).
/// </summary>
public sealed class TranscriptTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "testdata", "population");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.txt").Order(StringComparer.Ordinal)) data.Add(Path.GetFileName(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Transcript_matches(string file)
    {
        var expected = File.ReadAllText(Path.Combine(Folder, file)).ReplaceLineEndings("\n");

        var actual = Transcript.Run(expected);

        if (Environment.GetEnvironmentVariable("HYPERSWARM_REWRITE_TRANSCRIPTS") == "1")
        {
            File.WriteAllText(Path.Combine(SourceFolder(), file), actual);
            return;
        }
        if (expected != actual) Assert.Fail(Difference(file, expected, actual));
    }

    [Fact]
    public void Every_transcript_expects_some_output()
    {
        // A transcript whose blocks are all empty would pass whatever the machine did.
        foreach (var file in Directory.GetFiles(Folder, "*.txt"))
        {
            var lines = File.ReadAllLines(file);
            Assert.Contains(lines, l => l.StartsWith("start ", StringComparison.Ordinal) || l.StartsWith("log ", StringComparison.Ordinal));
        }
    }

    private static string Difference(string file, string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var line = Enumerable.Range(0, Math.Max(e.Length, a.Length))
            .First(i => i >= e.Length || i >= a.Length || e[i] != a[i]);
        return $"{file}:{line + 1}\nexpected: {(line < e.Length ? e[line] : "<end>")}\nactual:   {(line < a.Length ? a[line] : "<end>")}\n\nwhole actual transcript:\n{actual}";
    }

    private static string SourceFolder([CallerFilePath] string path = "") =>
        Path.Combine(Path.GetDirectoryName(path)!, "..", "testdata", "population");
}
