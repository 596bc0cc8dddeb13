namespace HyperSwarm.Torch.Tests;

/// <summary>
/// <see cref="Tensor.SetData"/> swaps a tensor's data in place: what moving a module to a
/// device relies on, since layers and optimizers keep the same handles.
/// </summary>
public sealed class SetDataTests
{
    [Fact]
    public void The_handle_and_its_aliases_see_the_new_data_and_keep_requires_grad()
    {
        using var scope = TensorScope.Begin();
        var parameter = Tensor.FromArray<float>([1, 2, 3]);
        parameter.RequiresGrad = true;
        var alias = parameter.Alias();
        var replacement = Tensor.FromArray<double>([5, 6, 7, 8], [2, 2]);

        parameter.SetData(replacement);

        Assert.Equal([2L, 2L], parameter.Shape);
        Assert.Equal(DType.Float64, parameter.DType);
        Assert.True(parameter.RequiresGrad);
        Assert.Equal([5.0, 6, 7, 8], alias.ToArray<double>());
    }

    [Fact]
    public void A_swapped_leaf_still_collects_gradients()
    {
        using var scope = TensorScope.Begin();
        var w = Tensor.FromArray<float>([0, 0]);
        w.RequiresGrad = true;
        using (NoGrad.Enter())
        {
            w.SetData(Tensor.FromArray<float>([2, 3]));
        }

        (w * w).Sum().Backward();

        Assert.Equal([4f, 6f], w.Grad!.ToArray<float>());
    }
}
