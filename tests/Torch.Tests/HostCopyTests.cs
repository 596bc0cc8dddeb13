namespace HyperSwarm.Torch.Tests;

/// <summary>Host copies in both directions for every dtype the trainer uses.</summary>
public sealed class HostCopyTests
{
    [Fact]
    public void Float32_round_trips() => RoundTrip(new[] { 1.5f, -2.25f, float.MaxValue, 0f, float.Epsilon, -0f }, DType.Float32);

    [Fact]
    public void Float64_round_trips() => RoundTrip(new[] { Math.PI, -1e300, double.Epsilon, 0.1, 7, -0.0 }, DType.Float64);

    [Fact]
    public void Int64_round_trips() => RoundTrip(new[] { long.MinValue, -1, 0, 1, long.MaxValue, 42 }, DType.Int64);

    [Fact]
    public void UInt8_round_trips() => RoundTrip(new byte[] { 0, 1, 127, 128, 254, 255 }, DType.UInt8);

    [Fact]
    public void Bool_round_trips() => RoundTrip(new[] { true, false, false, true, true, false }, DType.Bool);

    [Fact]
    public void Int32_round_trips() => RoundTrip(new[] { int.MinValue, -7, 0, 3, int.MaxValue, 9 }, DType.Int32);

    [Fact]
    public void A_non_contiguous_tensor_copies_out_in_logical_row_major_order()
    {
        using var scope = TensorScope.Begin();
        var t = Tensor.FromArray<float>([1, 2, 3, 4, 5, 6], [2, 3]).Transpose(0, 1); // (3, 2) view
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], t.ToArray<float>());
    }

    [Fact]
    public void CopyFrom_overwrites_in_place_without_a_new_handle()
    {
        using var t = Torch.Zeros([2, 2]);
        var before = Torch.LiveTensors;
        t.CopyFrom<float>([1, 2, 3, 4]);
        Assert.Equal(before, Torch.LiveTensors);
        Assert.Equal([1f, 2f, 3f, 4f], t.ToArray<float>());
    }

    [Fact]
    public void Converting_dtype_keeps_values()
    {
        using var scope = TensorScope.Begin();
        var bytes = Tensor.FromArray<byte>([0, 128, 255], [3]);
        Assert.Equal([0f, 128f, 255f], bytes.To(DType.Float32).ToArray<float>());
    }

    [Fact]
    public void Scalars_have_no_dimensions()
    {
        using var s = Tensor.Scalar(2.5);
        Assert.Equal(0, s.Dim);
        Assert.Empty(s.Shape);
        Assert.Equal(2.5, s.ToDouble());
    }

    private static void RoundTrip<T>(T[] data, DType dtype)
        where T : unmanaged
    {
        using var t = Tensor.FromArray<T>(data, [2, 3]);
        Assert.Equal(dtype, t.DType);
        Assert.Equal([2L, 3L], t.Shape);
        Assert.Equal(data, t.ToArray<T>());
        using var c = t.Clone();
        var span = new T[6];
        c.CopyTo<T>(span);
        Assert.Equal(data, span);
    }
}
