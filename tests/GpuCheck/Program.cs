using System.Diagnostics;
using System.Reflection;
using HyperSwarm.GpuActors.Tests.Training;
using HyperSwarm.Torch.Tests;
using Xunit;

// Runs the GPU-category tests without the .NET SDK: GPU machines often have only a runtime
// (or none, and get one copied in), and `dotnet test` needs the SDK's test platform. It runs
// each [Fact] of every class with [Trait("Category", "Gpu")] in the test assemblies it is
// built with: a fresh instance per test, disposed after, xunit's Assert doing the checking.
// Honours Skip (a GpuFact without a device), prints one line per test, exits 1 on any failure
// and 2 when nothing ran, so "all skipped" cannot pass for "all passed" on a GPU machine.
var assemblies = new[] { typeof(GpuTests).Assembly, typeof(GpuTrainingTests).Assembly };
int passed = 0, failed = 0, skipped = 0;
foreach (var type in assemblies.SelectMany(a => a.GetTypes()).Where(IsGpuClass).OrderBy(t => t.FullName, StringComparer.Ordinal))
{
    foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.GetCustomAttribute<FactAttribute>() is not null))
    {
        var name = $"{type.Name}.{method.Name}";
        if (method.GetCustomAttribute<FactAttribute>()!.Skip is { } reason)
        {
            skipped++;
            Console.WriteLine($"SKIP {name}: {reason}");
            continue;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var instance = Activator.CreateInstance(type)!;
            try
            {
                method.Invoke(instance, null);
            }
            finally
            {
                (instance as IDisposable)?.Dispose();
            }

            passed++;
            Console.WriteLine($"PASS {name} ({clock.Elapsed.TotalSeconds:F1} s)");
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            failed++;
            Console.WriteLine($"FAIL {name}: {e.InnerException}");
        }
    }
}

Console.WriteLine($"gpu-check: {passed} passed, {failed} failed, {skipped} skipped");
return failed > 0 ? 1 : passed == 0 ? 2 : 0;

static bool IsGpuClass(Type t) =>
    t.CustomAttributes.Any(a => a.AttributeType == typeof(TraitAttribute) && a.ConstructorArguments.Count == 2 &&
        (string?)a.ConstructorArguments[0].Value == "Category" && (string?)a.ConstructorArguments[1].Value == "Gpu");
