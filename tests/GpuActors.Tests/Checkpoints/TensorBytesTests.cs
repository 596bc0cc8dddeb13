using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Checkpoints;

public class TensorBytesTests
{
    [Fact]
    public void Size_is_numel_times_element_size()
    {
        Assert.Equal(2 * 3 * 4 * 8, TensorBytes.Of(DType.Float64, [2L, 3, 4]));
        Assert.Equal(2, TensorBytes.Of(DType.BFloat16, ReadOnlySpan<long>.Empty));
    }

    [Fact]
    public void A_zero_dimension_gives_zero_bytes_even_next_to_huge_ones()
    {
        Assert.Equal(0, TensorBytes.Of(DType.Float32, [long.MaxValue, long.MaxValue, 0]));
    }

    [Fact]
    public void Negative_dimensions_and_overflowing_sizes_give_null()
    {
        Assert.Null(TensorBytes.Of(DType.Float32, [-1L]));
        Assert.Null(TensorBytes.Of(DType.Float32, [1L << 62]));
        Assert.Null(TensorBytes.Of(DType.UInt8, [1L << 32, 1L << 32]));
    }
}
