using Akka.Actor;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Tests.Cluster;

/// <summary>Real actor systems on loopback: a coordinator node, workers joining it, and an intruder.</summary>
public sealed class ClusterBootstrapTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly List<ActorSystem> systems = [];

    public void Dispose()
    {
        Task.WaitAll([.. systems.Select(s => s.Terminate())], TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_worker_joins_the_coordinator_node_with_its_role_and_protobuf_messages_cross()
    {
        var coordinator = Start(ClusterBootstrap.CoordinatorRole, ClusterSecurity.Open);
        using var watch = new ClusterWatch(coordinator);
        var worker = Start(ClusterBootstrap.WorkerRole, ClusterSecurity.Open, Seed(coordinator));

        var up = await watch.UpAsync(m => m.HasRole(ClusterBootstrap.WorkerRole), Limit);
        var received = new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously);
        coordinator.ActorOf(Props.Create(() => new Catcher(received)), "catcher");
        var report = new MemberReport { MemberId = "m03", Step = 1200, ValidationAccuracy = 0.875 };
        worker.ActorSelection(new RootActorPath(Akka.Cluster.Cluster.Get(coordinator).SelfAddress) / "user" / "catcher").Tell(report);

        Assert.Equal(Akka.Cluster.Cluster.Get(worker).SelfAddress, up.Address);
        Assert.Equal("akka.tcp", up.Address.Protocol);
        Assert.Equal(report, await received.Task.WaitAsync(Limit));
    }

    [Fact]
    public async Task With_a_token_nodes_that_hold_it_join_over_mutual_TLS_and_a_node_with_another_cannot()
    {
        var token = new ClusterToken("the-cluster-token-0123456789");
        var coordinator = Start(ClusterBootstrap.CoordinatorRole, new ClusterSecurity.Token(token));
        using var watch = new ClusterWatch(coordinator);
        var intruderOptions = Options(ClusterBootstrap.WorkerRole, new ClusterSecurity.Token(new ClusterToken("another-token-that-is-wrong-99")), Seed(coordinator));
        var intruder = Track(ClusterBootstrap.Create(intruderOptions));
        // Watching before it joins: its first refused handshake must not go unseen.
        using var intruderWatch = new ClusterWatch(intruder);
        await intruderWatch.ReadyAsync(Limit);
        ClusterBootstrap.Join(intruder, intruderOptions);
        var refused = await intruderWatch.AssociationErrorAsync(Limit);

        var worker = Start(ClusterBootstrap.WorkerRole, new ClusterSecurity.Token(token), Seed(coordinator));
        var up = await watch.UpAsync(m => m.HasRole(ClusterBootstrap.WorkerRole), Limit);

        Assert.Equal("akka.ssl.tcp", up.Address.Protocol);
        Assert.Equal(Akka.Cluster.Cluster.Get(worker).SelfAddress, up.Address);
        Assert.Equal(Akka.Cluster.Cluster.Get(coordinator).SelfAddress, refused.RemoteAddress);
        // The intruder never became a member, on either side's view.
        Assert.DoesNotContain(watch.Up, m => m.Address == Akka.Cluster.Cluster.Get(intruder).SelfAddress);
        Assert.DoesNotContain(Akka.Cluster.Cluster.Get(coordinator).State.Members, m => m.Address == Akka.Cluster.Cluster.Get(intruder).SelfAddress);
    }

    [Fact]
    public async Task With_certificates_pinned_peers_join_over_mutual_TLS_and_a_node_with_another_certificate_cannot()
    {
        using var coordinatorCertificate = SelfSigned("coordinator");
        using var workerCertificate = SelfSigned("worker");
        using var strangerCertificate = SelfSigned("stranger");
        // Each node pins the others' certificates: a self-signed one chains to nothing, so only the pin admits it.
        string[] pins = [coordinatorCertificate.Thumbprint, workerCertificate.Thumbprint];
        var coordinator = Start(ClusterBootstrap.CoordinatorRole, new ClusterSecurity.Certificate(coordinatorCertificate, pins));
        using var watch = new ClusterWatch(coordinator);
        var intruderOptions = Options(ClusterBootstrap.WorkerRole, new ClusterSecurity.Certificate(strangerCertificate, [strangerCertificate.Thumbprint, coordinatorCertificate.Thumbprint]), Seed(coordinator));
        var intruder = Track(ClusterBootstrap.Create(intruderOptions));
        using var intruderWatch = new ClusterWatch(intruder);
        await intruderWatch.ReadyAsync(Limit);
        ClusterBootstrap.Join(intruder, intruderOptions);
        var refused = await intruderWatch.AssociationErrorAsync(Limit);

        var worker = Start(ClusterBootstrap.WorkerRole, new ClusterSecurity.Certificate(workerCertificate, pins), Seed(coordinator));
        var up = await watch.UpAsync(m => m.HasRole(ClusterBootstrap.WorkerRole), Limit);

        Assert.Equal("akka.ssl.tcp", up.Address.Protocol);
        Assert.Equal(Akka.Cluster.Cluster.Get(worker).SelfAddress, up.Address);
        Assert.Equal(Akka.Cluster.Cluster.Get(coordinator).SelfAddress, refused.RemoteAddress);
        Assert.DoesNotContain(Akka.Cluster.Cluster.Get(coordinator).State.Members, m => m.Address == Akka.Cluster.Cluster.Get(intruder).SelfAddress);
    }

    [Theory]
    [InlineData("node-1:2552", "node-1", 2552)]
    [InlineData("[::1]:4000", "::1", 4000)]
    public void Seed_addresses_are_host_and_port(string text, string host, int port)
    {
        var address = ClusterBootstrap.SeedAddress(text, ClusterSecurity.Open);

        Assert.Equal((host, port, "hyperswarm", "akka.tcp"), (address.Host, address.Port, address.System, address.Protocol));
    }

    [Theory]
    [InlineData("node-1")]
    [InlineData("node-1:0")]
    [InlineData(":2552")]
    [InlineData("node-1:http")]
    public void A_seed_that_is_not_host_and_port_is_refused(string text) =>
        Assert.Throws<FormatException>(() => ClusterBootstrap.SeedAddress(text, ClusterSecurity.Open));

    private ActorSystem Start(string role, ClusterSecurity security, params string[] seeds) =>
        Track(ClusterBootstrap.Start(Options(role, security, seeds)));

    private static ClusterNodeOptions Options(string role, ClusterSecurity security, params string[] seeds) =>
        new() { Roles = [role], Security = security, SeedNodes = seeds };

    private ActorSystem Track(ActorSystem system)
    {
        systems.Add(system);
        return system;
    }

    private static string Seed(ActorSystem system)
    {
        var self = Akka.Cluster.Cluster.Get(system).SelfAddress;
        return $"{self.Host}:{self.Port}";
    }

    // A certificate with its private key, as a node would load it from a PKCS#12 file.
    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSigned(string name)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={name}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(
            created.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12), null);
    }

    private sealed class Catcher : ReceiveActor
    {
        public Catcher(TaskCompletionSource<object> received) => ReceiveAny(m => received.TrySetResult(m));
    }
}
