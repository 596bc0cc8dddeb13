using System.Reflection;
using Xunit.Sdk;

namespace HyperSwarm.Torch.Tests.Support;

/// <summary>
/// Fails any test that leaves a tensor for the finalizer instead of disposing it: every native
/// handle must have an owner. Collects before and after each test so a leak is blamed on the
/// test that made it, and so leak assertions inside tests start from a settled count.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method)]
public sealed class NoFinalizedTensorsAttribute : BeforeAfterTestAttribute
{
    private long before;

    public override void Before(MethodInfo methodUnderTest)
    {
        Settle();
        before = Torch.FinalizerReleases;
    }

    public override void After(MethodInfo methodUnderTest)
    {
        Settle();
        var leaked = Torch.FinalizerReleases - before;
        if (leaked > 0)
        {
            throw new XunitException($"{leaked} tensor(s) were never disposed and reached the finalizer");
        }
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
