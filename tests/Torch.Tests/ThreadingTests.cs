namespace HyperSwarm.Torch.Tests;

/// <summary>libtorch state that is per thread: grad mode (hence one OS thread per model actor).</summary>
public sealed class ThreadingTests
{
    [Fact]
    public void Grad_mode_is_per_thread()
    {
        Assert.True(GradMode.IsEnabled);
        using var offOnThisThread = new ManualResetEventSlim();
        using var otherChecked = new ManualResetEventSlim();
        bool? seenByOther = null;
        bool? otherAfterDisabling = null;

        var other = new Thread(() =>
        {
            offOnThisThread.Wait();
            seenByOther = GradMode.IsEnabled;       // the main thread turned its own mode off
            GradMode.IsEnabled = false;
            otherAfterDisabling = GradMode.IsEnabled;
            otherChecked.Set();
        });
        other.Start();

        using (NoGrad.Enter())
        {
            Assert.False(GradMode.IsEnabled);
            offOnThisThread.Set();
            otherChecked.Wait();
            Assert.False(GradMode.IsEnabled);
        }

        other.Join();
        Assert.True(seenByOther);
        Assert.False(otherAfterDisabling);
        Assert.True(GradMode.IsEnabled); // restored here, untouched by the other thread
    }

    [Fact]
    public void No_grad_stops_recording()
    {
        using var scope = TensorScope.Begin();
        var x = Torch.Ones([2]);
        x.RequiresGrad = true;
        using (NoGrad.Enter())
        {
            Assert.False((x * 2.0).RequiresGrad);
        }

        Assert.True((x * 2.0).RequiresGrad);
    }

    [Fact]
    public void Errors_stay_on_the_thread_that_caused_them()
    {
        // The error slot is thread-local: a failure on one thread must not leak into another's message.
        using var a = Torch.Ones([2]);
        using var b = Torch.Ones([3]);
        var messages = new string[2];
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() =>
        {
            for (var k = 0; k < 200; k++)
            {
                var e = Assert.Throws<TorchException>(() => i == 0 ? a + b : Functional.MatMul(a, b));
                messages[i] = e.Function;
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Equal("hs_binary", messages[0]);
        Assert.Equal("hs_matmul", messages[1]);
    }
}
