using System.Reflection;
using System.Xml.Linq;

namespace HyperSwarm.Cli.Tests;

/// <summary>
/// The dependency arrows of DESIGN.md §2, checked on the compiled assemblies and on the
/// project files: Protocol ← Coordinator ← Cli, Protocol ← GpuActors ← Cli, Torch ← GpuActors.
/// </summary>
public sealed class DependencyArrowTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["HyperSwarm.Protocol"] = [],
        ["HyperSwarm.Torch"] = [],
        ["HyperSwarm.GpuActors"] = ["HyperSwarm.Protocol", "HyperSwarm.Torch"],
        ["HyperSwarm.Coordinator"] = ["HyperSwarm.Protocol"],
        ["HyperSwarm.Bench"] = ["HyperSwarm.Protocol", "HyperSwarm.Torch", "HyperSwarm.GpuActors", "HyperSwarm.Coordinator"],
        ["hyperswarm"] = ["HyperSwarm.Protocol", "HyperSwarm.Torch", "HyperSwarm.GpuActors", "HyperSwarm.Coordinator", "HyperSwarm.Bench"],
    };

    public static TheoryData<string> Assemblies => new(Allowed.Keys);

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Compiled_references_follow_the_arrows(string name)
    {
        var assembly = Assembly.Load(name);
        var ours = assembly.GetReferencedAssemblies()
            .Select(r => r.Name!)
            .Where(n => Allowed.ContainsKey(n))
            .ToArray();

        var forbidden = ours.Except(Allowed[name]).ToArray();
        Assert.True(forbidden.Length == 0, $"{name} must not reference {string.Join(", ", forbidden)}");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Project_references_follow_the_arrows(string name)
    {
        var project = ProjectFiles().Single(p => AssemblyNameOf(p) == name);
        var referenced = XDocument.Load(project).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, r.Attribute("Include")!.Value)))
            .Select(AssemblyNameOf)
            .ToArray();

        var forbidden = referenced.Except(Allowed[name]).ToArray();
        Assert.True(forbidden.Length == 0, $"{Path.GetFileName(project)} must not reference {string.Join(", ", forbidden)}");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Only_Torch_declares_native_entry_points(string name)
    {
        var pinvokes = Assembly.Load(name).GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.Attributes.HasFlag(MethodAttributes.PinvokeImpl))
            .ToArray();

        if (name == "HyperSwarm.Torch")
        {
            Assert.NotEmpty(pinvokes);
        }
        else
        {
            Assert.Empty(pinvokes);
        }
    }

    private static IEnumerable<string> ProjectFiles()
    {
        var root = RepoRoot();
        return Directory.EnumerateFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "bench"), "*.csproj", SearchOption.AllDirectories));
    }

    private static string AssemblyNameOf(string csproj)
    {
        var explicitName = XDocument.Load(csproj).Descendants("AssemblyName").FirstOrDefault()?.Value;
        return explicitName ?? Path.GetFileNameWithoutExtension(csproj);
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HyperSwarm.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("HyperSwarm.sln not found above the test directory");
    }
}
