using HyperSwarm.Cli.Tests.Support;

namespace HyperSwarm.Cli.Tests.Commands;

// docs/cli.md: a mistake in the request is one sentence on stderr and exit code 2, for the
// parser's own mistakes too (an unknown flag, a missing or unparsable value), not the help text.
public sealed class ParseErrorTests
{
    [Theory]
    [InlineData(new[] { "worker" }, "error: Option '--join' is required. See: hyperswarm worker --help")]
    [InlineData(new[] { "coordinator", "--population", "abc" }, "error: Cannot parse argument 'abc' for option '--population' as expected type 'System.Int32'. See: hyperswarm coordinator --help")]
    [InlineData(new[] { "train", "--nope" }, "error: Unrecognized command or argument '--nope'. See: hyperswarm train --help")]
    [InlineData(new[] { "bench" }, "error: Required argument missing for command: 'bench'. See: hyperswarm bench --help")]
    public async Task A_request_the_parser_refuses_is_one_sentence_and_exit_2(string[] args, string expected)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal(expected, stderr.Trim());
        Assert.Equal("", stdout.Trim());
    }

    [Fact]
    public async Task Help_is_still_help()
    {
        var (code, stdout, _) = await CliProcess.RunAsync("worker", "--help");

        Assert.Equal(0, code);
        Assert.Contains("--join", stdout, StringComparison.Ordinal);
    }
}
