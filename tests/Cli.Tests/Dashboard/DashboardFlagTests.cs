using System.Net;
using HyperSwarm.Cli.Dashboard;
using HyperSwarm.Cli.Tests.Support;

namespace HyperSwarm.Cli.Tests.Dashboard;

public sealed class DashboardFlagTests
{
    [Fact]
    public void Unset_means_loopback_on_the_default_port_which_may_fall_back()
    {
        var choice = DashboardFlag.Parse(null);

        Assert.Equal((new IPEndPoint(IPAddress.Loopback, DashboardFlag.DefaultPort), false), (choice!.Endpoint, choice.Named));
    }

    [Theory]
    [InlineData("8080", "127.0.0.1:8080")]
    [InlineData("0", "127.0.0.1:0")]
    [InlineData("localhost:8080", "127.0.0.1:8080")]
    [InlineData("*:8080", "0.0.0.0:8080")]
    [InlineData("0.0.0.0:8080", "0.0.0.0:8080")]
    [InlineData("[::1]:8080", "[::1]:8080")]
    public void A_named_address_must_bind_where_it_says(string text, string endpoint)
    {
        var choice = DashboardFlag.Parse(text);

        Assert.Equal((endpoint, true), (choice!.Endpoint.ToString(), choice.Named));
    }

    [Fact]
    public void Off_turns_the_dashboard_off() => Assert.Null(DashboardFlag.Parse("off"));

    [Theory]
    [InlineData("nope")]
    [InlineData("99999")]
    [InlineData("example.com:8080")]
    [InlineData(" ")]
    public void A_bad_value_is_one_sentence_naming_the_flag(string text)
    {
        var error = Assert.Throws<UserError>(() => DashboardFlag.Parse(text));

        Assert.StartsWith("--dashboard", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_refuses_a_dashboard_off_loopback_without_the_cluster_token_before_it_trains()
    {
        var runs = Directory.CreateTempSubdirectory("hs-cli-dashboard-flag-").FullName;
        try
        {
            var (code, stdout, stderr) = await CliProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["HYPERSWARM_CLUSTER_TOKEN"] = "" },
                "train", "--dashboard", "*:0", "--runs", runs, "--set", "max_steps=1");

            Assert.Equal(2, code);
            Assert.Equal("error: --dashboard 0.0.0.0:0 serves off loopback, where the dashboard needs the cluster token: set HYPERSWARM_CLUSTER_TOKEN, or serve on loopback.", stderr.Trim());
            Assert.DoesNotContain("dashboard: http", stdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(runs, recursive: true);
        }
    }

    [Fact]
    public async Task A_named_port_in_use_is_an_error_and_the_default_port_in_use_falls_back()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var output = new StringWriter();
        var console = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(output) });

        var named = await Assert.ThrowsAsync<IOException>(() => DashboardLauncher.StartAsync(
            new DashboardChoice(new IPEndPoint(IPAddress.Loopback, port), Named: true), "train", "r", () => null, console, output, CancellationToken.None));
        await using var fallback = await DashboardLauncher.StartAsync(
            new DashboardChoice(new IPEndPoint(IPAddress.Loopback, port), Named: false), "train", "r", () => null, console, output, CancellationToken.None);

        Assert.StartsWith($"--dashboard 127.0.0.1:{port} cannot be bound", named.Message, StringComparison.Ordinal);
        Assert.NotEqual(port, fallback!.Address.Port);
        Assert.Contains($"dashboard: port {port} is in use, so this one takes a free port", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"dashboard: {fallback.Address}", output.ToString(), StringComparison.Ordinal);
    }
}
