namespace HyperSwarm.Torch.Tests;

/// <summary>Ownership through TensorScope: what a scope frees, and how results escape.</summary>
public sealed class TensorScopeTests
{
    [Fact]
    public void A_scope_frees_every_tensor_created_inside_it()
    {
        var before = Torch.LiveTensors;
        using (TensorScope.Begin())
        {
            using var x = Torch.Ones([4]);
            _ = (x * 2.0 + 1.0).Exp().Sum();
            Assert.True(Torch.LiveTensors > before);
        }

        Assert.Equal(before, Torch.LiveTensors);
    }

    [Fact]
    public void Keep_moves_a_tensor_to_the_enclosing_scope()
    {
        var before = Torch.LiveTensors;
        using (var outer = TensorScope.Begin())
        {
            Tensor kept;
            using (var inner = TensorScope.Begin())
            {
                kept = inner.Keep(Torch.Ones([3]) * 3.0);
            }

            Assert.False(kept.IsDisposed);
            Assert.Equal(9.0, kept.Sum().ToDouble());
            Assert.Equal(2, outer.Count); // kept, and the sum
        }

        Assert.Equal(before, Torch.LiveTensors);
    }

    [Fact]
    public void Escape_hands_a_tensor_to_the_caller()
    {
        Tensor escaped;
        using (TensorScope.Begin())
        {
            escaped = Torch.Ones([2]).Escape();
        }

        Assert.False(escaped.IsDisposed);
        escaped.Dispose();
        Assert.True(escaped.IsDisposed);
    }

    [Fact]
    public void Disposing_an_outer_scope_closes_inner_ones_left_open()
    {
        var before = Torch.LiveTensors;
        var outer = TensorScope.Begin();
        TensorScope.Begin(); // never disposed on purpose
        _ = Torch.Ones([2]);
        outer.Dispose();
        Assert.Null(TensorScope.Current);
        Assert.Equal(before, Torch.LiveTensors);
    }

    [Fact]
    public void Tensors_made_outside_any_scope_belong_to_the_caller()
    {
        Assert.Null(TensorScope.Current);
        var t = Torch.Ones([2]);
        using (TensorScope.Begin())
        {
            _ = t * 2.0;
        }

        Assert.False(t.IsDisposed);
        t.Dispose();
    }
}
