using YamlDotNet.RepresentationModel;

namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>
/// <c>config/cluster/kubernetes/hyperswarm.yaml</c> read as plain YAML documents (no cluster, no
/// kubectl here: kubectl 1.32 needs a server even for a client-side dry run), with the few
/// navigation helpers the structural checks need.
/// </summary>
internal sealed class KubernetesManifest
{
    private KubernetesManifest(IReadOnlyList<YamlMappingNode> documents) => Documents = documents;

    public IReadOnlyList<YamlMappingNode> Documents { get; }

    public static KubernetesManifest Load()
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(DependencyArrowTests.RepoRoot(), "config", "cluster", "kubernetes", "hyperswarm.yaml")))
        {
            stream.Load(reader);
        }

        return new KubernetesManifest([.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()]);
    }

    /// <summary>The one document of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public YamlMappingNode Get(string kind, string name) =>
        Documents.Single(d => Text(d, "kind") == kind && Text(d, "metadata", "name") == name);

    public IEnumerable<YamlMappingNode> OfKind(string kind) => Documents.Where(d => Text(d, "kind") == kind);

    /// <summary>The pod template's spec of a workload (Job, Deployment, StatefulSet).</summary>
    public static YamlMappingNode PodSpec(YamlMappingNode workload) => Map(workload, "spec", "template", "spec");

    public static YamlMappingNode Container(YamlMappingNode workload) => (YamlMappingNode)Seq(PodSpec(workload), "containers").Single();

    public static IReadOnlyList<string> Args(YamlMappingNode container) => [.. Seq(container, "args").Cast<YamlScalarNode>().Select(s => s.Value!)];

    /// <summary>The value that follows <paramref name="flag"/> in <paramref name="args"/>.</summary>
    public static string Flag(IReadOnlyList<string> args, string flag)
    {
        var i = args.ToList().IndexOf(flag);
        Assert.True(i >= 0 && i + 1 < args.Count, $"no {flag} VALUE in [{string.Join(' ', args)}]");
        return args[i + 1];
    }

    public static YamlMappingNode Map(YamlNode node, params string[] path)
    {
        foreach (var key in path) node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        return (YamlMappingNode)node;
    }

    public static YamlSequenceNode Seq(YamlNode node, params string[] path)
    {
        foreach (var key in path) node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        return (YamlSequenceNode)node;
    }

    /// <summary>The scalar at <paramref name="path"/>, or null when any step is missing.</summary>
    public static string? Text(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next)) return null;
            node = next;
        }

        return (node as YamlScalarNode)?.Value;
    }

    /// <summary>Every mapping anywhere under <paramref name="node"/> (for checks over the whole file).</summary>
    public static IEnumerable<YamlMappingNode> AllMappings(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                yield return map;
                foreach (var child in map.Children.Values.SelectMany(AllMappings)) yield return child;
                break;
            case YamlSequenceNode seq:
                foreach (var child in seq.Children.SelectMany(AllMappings)) yield return child;
                break;
        }
    }
}
