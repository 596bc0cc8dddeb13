using HyperSwarm.GpuActors.Checkpoints;
using System.Net;
using System.Net.Sockets;
using HyperSwarm.Cli.Network;
using HyperSwarm.Cli.Commands;
using HyperSwarm.Cli.Tests.Support;

namespace HyperSwarm.Cli.Tests.Worker;

// The worker command's flags and their errors; what it does once running is WorkerRunTests.
public sealed class WorkerCommandTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("hs-worker-command-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public void Only_join_is_needed_the_rest_has_defaults()
    {
        var request = WorkerCommand.Read("--join", "10.0.0.1:7000");

        Assert.Equal(new Uri("http://10.0.0.1:7000"), request.Coordinator);
        Assert.Equal(["cpu"], request.Devices);
        Assert.Null(request.Capacity);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0), request.Listen); // DESIGN.md §5: loopback unless told otherwise
        Assert.Null(request.Advertise);
        Assert.Equal("checkpoints", request.CheckpointRoot);
        Assert.False(request.SharedCheckpoints);
        Assert.Equal(Environment.MachineName, request.WorkerId);
        Assert.Null(request.TokenFile);
        Assert.Null(request.Threads);
        Assert.Null(request.DataPath);
        Assert.Null(request.JoinTimeout);
        // Akka.Remote: --listen's host, a free port, reached at the bound address.
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0), request.ClusterListen);
        Assert.Null(request.ClusterHost);
    }

    [Fact]
    public void Every_flag_reaches_the_request()
    {
        var request = WorkerCommand.Read(
            "--join", "http://coordinator:7000", "--devices", "cuda:0, CUDA:1", "--capacity", "4", "--listen", "10.0.0.5:7001",
            "--advertise", "gpu-node-5:7001", "--checkpoints", "/shared/run", "--shared-checkpoints", "--token-file", "/etc/hs/token",
            "--threads", "3", "--id", "gpu-node-5", "--data", folder.FullName, "--join-timeout", "1m30s", "--cluster-listen", "*:7002");

        Assert.Equal(new Uri("http://coordinator:7000"), request.Coordinator);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 7002), request.ClusterListen);
        Assert.Equal("gpu-node-5", request.ClusterHost); // the advertised host names the node in the cluster too
        Assert.Equal(["cuda:0", "cuda:1"], request.Devices);
        Assert.Equal(4, request.Capacity);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 7001), request.Listen);
        Assert.Equal("gpu-node-5:7001", request.Advertise);
        Assert.Equal("/shared/run", request.CheckpointRoot);
        Assert.True(request.SharedCheckpoints);
        Assert.Equal("/etc/hs/token", request.TokenFile);
        Assert.Equal(3, request.Threads);
        Assert.Equal("gpu-node-5", request.WorkerId);
        Assert.Equal(folder.FullName, request.DataPath);
        Assert.Equal(TimeSpan.FromSeconds(90), request.JoinTimeout);
    }

    [Fact]
    public void A_cluster_certificate_with_its_key_and_pinned_peers_secures_akka_remote()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=gpu-node-5", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var pem = Path.Combine(folder.FullName, "node.pem");
        File.WriteAllText(pem, certificate.ExportCertificatePem() + "\n" + key.ExportPkcs8PrivateKeyPem());
        var peer = new string('a', 40);

        var request = WorkerCommand.Read("--join", "c:7000", "--cluster-certificate", pem, "--cluster-peers", $"{peer}, {certificate.Thumbprint}");

        var secured = Assert.IsType<HyperSwarm.Protocol.Cluster.ClusterSecurity.Certificate>(request.ClusterSecurity);
        Assert.Equal(certificate.Thumbprint, secured.Value.Thumbprint);
        Assert.True(secured.Value.HasPrivateKey);
        Assert.Equal([peer.ToUpperInvariant(), certificate.Thumbprint], secured.PinnedThumbprints!);
        Assert.Same(secured, request.ToOptions((_, _) => throw new InvalidOperationException(), null, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance).Cluster.Security);

        // Only the certificate, without its key: the node could not prove it holds it.
        File.WriteAllText(pem, certificate.ExportCertificatePem());
        Assert.Contains("no usable certificate with its private key", Assert.Throws<UserError>(() => WorkerCommand.Read("--join", "c:7000", "--cluster-certificate", pem)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--cluster-certificate", "/nonexistent/node.pem", "--cluster-certificate /nonexistent/node.pem does not exist.")]
    [InlineData("--cluster-peers", "abc", "--cluster-peers needs --cluster-certificate: without a certificate the cluster token secures Akka.Remote.")]
    public void Cluster_certificate_flags_that_cannot_work_are_one_sentence(string flag, string value, string message) =>
        Assert.Equal(message, Assert.Throws<UserError>(() => WorkerCommand.Read("--join", "c:7000", flag, value)).Message);

    [Fact]
    public void Listening_on_every_interface_advertises_the_host_name_and_port()
    {
        var request = WorkerCommand.Read("--join", "c:7000", "--listen", "*:7001");

        Assert.Equal($"{Dns.GetHostName()}:7001", request.Advertise);
    }

    [Theory]
    [InlineData("gpu", "--devices: 'gpu' is not a device: use cpu, cuda or cuda:N.")]
    [InlineData("cuda:x", "--devices: 'cuda:x' is not a device: use cpu, cuda or cuda:N.")]
    [InlineData("cpu,,cuda:0", "--devices takes names separated by commas, such as cpu or cuda:0,cuda:1, got 'cpu,,cuda:0'.")]
    [InlineData("cuda:0,cuda", "--devices names cuda:0 twice; use --capacity for several members per device.")]
    public void Bad_devices_are_one_sentence(string devices, string message) =>
        Assert.Equal(message, Assert.Throws<UserError>(() => WorkerCommand.Read("--join", "c:7000", "--devices", devices)).Message);

    [Theory]
    [InlineData("--capacity", "0", "--capacity must be at least 1, got 0.")]
    [InlineData("--threads", "-2", "--threads must be at least 1, got -2.")]
    [InlineData("--join-timeout", "30", "--join-timeout: '30' has no unit, write for example 30s or 30m.")]
    [InlineData("--join-timeout", "none", "--join-timeout needs a positive duration such as 30s, got 'none'.")]
    [InlineData("--listen", "*:0", "--listen on every interface needs a fixed port (*:7001) or --advertise HOST:PORT, so other workers can fetch checkpoints.")]
    [InlineData("--id", "gpu node", "--id must be 1–128 letters, digits, '-', '_' or '.' not starting with '.', got 'gpu node'.")]
    [InlineData("--data", "/no/such/folder", "--data /no/such/folder does not exist.")]
    public void Bad_values_are_one_sentence_naming_the_flag(string flag, string value, string message) =>
        Assert.Equal(message, Assert.Throws<UserError>(() => WorkerCommand.Read("--join", "c:7000", flag, value)).Message);

    [Fact]
    public void Every_interface_with_an_ephemeral_port_is_fine_on_shared_checkpoints()
    {
        var request = WorkerCommand.Read("--join", "c:7000", "--listen", "*:0", "--shared-checkpoints");

        Assert.Null(request.Advertise); // nobody fetches from this worker
    }

    [Fact]
    public void Join_is_required() =>
        Assert.Contains("--join", Assert.Throws<UserError>(() => WorkerCommand.Read("--devices", "cpu")).Message, StringComparison.Ordinal);

    [Fact]
    public async Task An_unreachable_coordinator_is_retried_visibly_then_reported_in_one_sentence()
    {
        var port = ClosedPort();

        var (code, stdout, stderr) = await CliProcess.RunAsync(
            "worker", "--join", $"127.0.0.1:{port}", "--join-timeout", "2s", "--checkpoints", Path.Combine(folder.FullName, "checkpoints"));

        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: could not join the coordinator at http://127.0.0.1:{port} within 2s (Unavailable: ", line, StringComparison.Ordinal);
        Assert.EndsWith("check that it runs and that --join names it.", line, StringComparison.Ordinal);
        Assert.Contains("warning: Coordinator unreachable (Unavailable: ", stdout, StringComparison.Ordinal); // it said it kept trying
        Assert.Contains("attempt 2 in ", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
    }

    // A port nothing listens on: bound once by the system, then released.
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
