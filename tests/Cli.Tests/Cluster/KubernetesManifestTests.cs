using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static HyperSwarm.Cli.Tests.Cluster.KubernetesManifest;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// The Kubernetes recipe checked offline, as a schema check would and then some: every reference
/// resolves (claims, config maps, secrets, <c>$(VAR)</c>s, service selectors and target ports),
/// the run ends (Jobs), the coordinator sees the checkpoints, no host paths.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private readonly KubernetesManifest manifest = KubernetesManifest.Load();

    [Fact]
    public void Every_document_names_its_api_kind_and_name()
    {
        Assert.NotEmpty(manifest.Documents);
        Assert.All(manifest.Documents, d =>
        {
            Assert.False(string.IsNullOrEmpty(Text(d, "apiVersion")));
            Assert.False(string.IsNullOrEmpty(Text(d, "kind")));
            Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", Text(d, "metadata", "name"));
        });
    }

    [Fact]
    public void Every_volume_claim_config_map_and_secret_a_pod_names_is_in_the_file()
    {
        var claims = manifest.OfKind("PersistentVolumeClaim").Select(d => Text(d, "metadata", "name")).ToHashSet();
        foreach (var workload in manifest.OfKind("Job"))
        {
            var pod = PodSpec(workload);
            var volumes = Seq(pod, "volumes").Cast<YamlMappingNode>().ToList();
            Assert.All(volumes, v => Assert.Null(Text(v, "hostPath", "path"))); // data and checkpoints on claims
            foreach (var v in volumes)
            {
                if (Text(v, "persistentVolumeClaim", "claimName") is { } claim) Assert.Contains(claim, claims);
                if (Text(v, "configMap", "name") is { } map) Assert.Single(manifest.OfKind("ConfigMap"), d => Text(d, "metadata", "name") == map);
            }

            var container = Container(workload);
            var names = volumes.Select(v => Text(v, "name")).ToHashSet();
            Assert.All(Seq(container, "volumeMounts").Cast<YamlMappingNode>(), m => Assert.Contains(Text(m, "name"), names));
            foreach (var env in Seq(container, "env").Cast<YamlMappingNode>())
            {
                if (Text(env, "valueFrom", "secretKeyRef", "name") is not { } secret) continue;
                var data = Map(manifest.Get("Secret", secret), "stringData");
                Assert.True(data.Children.ContainsKey(new YamlScalarNode(Text(env, "valueFrom", "secretKeyRef", "key")!)), $"secret {secret} has no such key");
            }
        }

        Assert.DoesNotContain(manifest.Documents.SelectMany(AllMappings), m => m.Children.ContainsKey(new YamlScalarNode("hostPath")));
    }

    [Fact]
    public void Every_variable_in_a_command_line_is_in_its_containers_environment()
    {
        foreach (var workload in manifest.OfKind("Job"))
        {
            var container = Container(workload);
            var defined = Seq(container, "env").Cast<YamlMappingNode>().Select(e => Text(e, "name")).ToHashSet();
            var used = Args(container).SelectMany(a => Variable().Matches(a)).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(used);
            Assert.All(used, v => Assert.Contains(v, defined));
        }
    }

    [Fact]
    public void Services_select_the_pods_and_target_ports_they_declare_and_the_command_lines_bind()
    {
        foreach (var service in manifest.OfKind("Service"))
        {
            var selector = Map(service, "spec", "selector");
            var workload = manifest.OfKind("Job").Single(j =>
                selector.Children.All(kv => Text(Map(j, "spec", "template", "metadata", "labels"), ((YamlScalarNode)kv.Key).Value!) == ((YamlScalarNode)kv.Value).Value));
            var ports = Seq(Container(workload), "ports").Cast<YamlMappingNode>().ToDictionary(p => Text(p, "name")!, p => Text(p, "containerPort")!);
            foreach (var port in Seq(service, "spec", "ports").Cast<YamlMappingNode>())
                Assert.Contains(Text(port, "targetPort")!, ports.Keys);
        }

        // The ports the processes bind are the ports the containers declare.
        foreach (var (kind, flag, port) in new[] { ("coordinator", "--listen", "grpc"), ("coordinator", "--cluster-listen", "akka"), ("coordinator", "--metrics-listen", "metrics"), ("worker", "--listen", "grpc"), ("worker", "--cluster-listen", "akka") })
        {
            var container = Container(manifest.Get("Job", $"hyperswarm-{kind}"));
            var declared = Seq(container, "ports").Cast<YamlMappingNode>().Single(p => Text(p, "name") == port);
            Assert.EndsWith(":" + Text(declared, "containerPort"), Flag(Args(container), flag), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_coordinator_mounts_the_checkpoint_claim_where_the_workers_write_their_checkpoints()
    {
        var worker = manifest.Get("Job", "hyperswarm-worker");
        var coordinator = manifest.Get("Job", "hyperswarm-coordinator");
        var path = Flag(Args(Container(worker)), "--checkpoints");
        Assert.Contains("--shared-checkpoints", Args(Container(worker)));

        Assert.Equal(path, MountOf(worker, "hyperswarm-checkpoints"));
        Assert.Equal(path, MountOf(coordinator, "hyperswarm-checkpoints"));
        // Collection is the coordinator's default: no flag turns it off.
        Assert.DoesNotContain("--collect-checkpoints", Args(Container(coordinator)));
    }

    [Fact]
    public void The_run_ends_a_coordinator_job_and_an_indexed_worker_job_that_a_drain_completes()
    {
        var coordinator = manifest.Get("Job", "hyperswarm-coordinator");
        var worker = manifest.Get("Job", "hyperswarm-worker");

        Assert.Equal("1", Text(coordinator, "spec", "parallelism")); // one writer for the store
        Assert.Equal("Indexed", Text(worker, "spec", "completionMode"));
        Assert.Equal(Text(worker, "spec", "completions"), Text(worker, "spec", "parallelism"));
        // Restarted when they fail; a drained worker (exit 0) and a completed run are done.
        Assert.All(new[] { coordinator, worker }, j => Assert.Equal("OnFailure", Text(PodSpec(j), "restartPolicy")));
        Assert.Equal(Text(Map(manifest.Get("Service", "hyperswarm-worker"), "metadata"), "name"), Text(PodSpec(worker), "subdomain"));
        Assert.Equal("hyperswarm-worker-$(WORKER_INDEX)", Flag(Args(Container(worker)), "--id"));
        var grace = int.Parse(Text(PodSpec(worker), "terminationGracePeriodSeconds")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(grace >= 60 + 10, "the worker's 60 s to checkpoint and 10 s to leave must fit the grace period");
    }

    [Fact]
    public void Workers_name_one_device_per_gpu_and_take_their_threads_from_the_cpu_limit()
    {
        var container = Container(manifest.Get("Job", "hyperswarm-worker"));
        var gpus = Text(container, "resources", "limits", "nvidia.com/gpu");
        Assert.Equal(gpus, Flag(Args(container), "--devices").Split(',').Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Text(container, "resources", "requests", "cpu"), Text(container, "resources", "limits", "cpu"));
        var cpus = Seq(container, "env").Cast<YamlMappingNode>().Single(e => Text(e, "name") == "HYPERSWARM_CPUS");
        Assert.Equal("limits.cpu", Text(cpus, "valueFrom", "resourceFieldRef", "resource"));
        Assert.DoesNotContain("--threads", Args(container)); // the entrypoint derives it
        Assert.All(manifest.OfKind("Job"), j => Assert.NotNull(Text(Container(j), "resources", "limits", "cpu")));
    }

    [Fact]
    public void The_token_reaches_every_pod_through_its_environment_and_pods_run_as_the_images_user()
    {
        foreach (var workload in manifest.OfKind("Job"))
        {
            var env = Seq(Container(workload), "env").Cast<YamlMappingNode>().Single(e => Text(e, "name") == "HYPERSWARM_CLUSTER_TOKEN");
            Assert.Equal("hyperswarm-token", Text(env, "valueFrom", "secretKeyRef", "name"));
            Assert.DoesNotContain("--token-file", Args(Container(workload)));
            Assert.Equal("true", Text(PodSpec(workload), "securityContext", "runAsNonRoot"));
            Assert.Equal("10001", Text(PodSpec(workload), "securityContext", "runAsUser"));
        }
    }

    private static string? MountOf(YamlMappingNode workload, string claim)
    {
        var volume = Seq(PodSpec(workload), "volumes").Cast<YamlMappingNode>().Single(v => Text(v, "persistentVolumeClaim", "claimName") == claim);
        return Seq(Container(workload), "volumeMounts").Cast<YamlMappingNode>().Single(m => Text(m, "name") == Text(volume, "name")).Children[new YamlScalarNode("mountPath")].ToString();
    }

    [GeneratedRegex(@"\$\(([A-Z_][A-Z0-9_]*)\)")]
    private static partial Regex Variable();
}
