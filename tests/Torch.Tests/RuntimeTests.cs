namespace HyperSwarm.Torch.Tests;

/// <summary>Runtime functions: version, threads, seeding, RNG state, devices.</summary>
public sealed class RuntimeTests
{
    [Fact]
    public void Version_names_libtorch()
    {
        Assert.StartsWith("libtorch ", Torch.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void Thread_count_can_be_set_and_read()
    {
        var original = Torch.NumThreads;
        try
        {
            Torch.NumThreads = 1;
            Assert.Equal(1, Torch.NumThreads);
        }
        finally
        {
            Torch.NumThreads = original;
        }
    }

    [Fact]
    public void Seeding_gives_identical_results_run_to_run()
    {
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(42);
        var a = Torch.Randn([100]).ToArray<float>();
        var d1 = Functional.Dropout(Torch.Ones([100]), 0.5).ToArray<float>();
        Torch.ManualSeed(42);
        var b = Torch.Randn([100]).ToArray<float>();
        var d2 = Functional.Dropout(Torch.Ones([100]), 0.5).ToArray<float>();
        Assert.Equal(a, b);
        Assert.Equal(d1, d2);
        Torch.ManualSeed(43);
        Assert.NotEqual(a, Torch.Randn([100]).ToArray<float>());
    }

    [Fact]
    public void Rng_state_restores_the_same_draws()
    {
        using var scope = TensorScope.Begin();
        Torch.ManualSeed(5);
        _ = Torch.Rand([10]);
        var state = Torch.GetRngState();
        var first = Torch.Rand([10]).ToArray<float>();
        Torch.SetRngState(state);
        Assert.Equal(first, Torch.Rand([10]).ToArray<float>());
    }

    [Fact]
    public void Cpu_is_the_default_device_and_devices_parse()
    {
        using var t = Torch.Zeros([1]);
        Assert.Equal(Device.Cpu, t.Device);
        Assert.Equal(Device.Cuda(1), Device.Parse("cuda:1"));
        Assert.Equal("cuda:0", Device.Parse("CUDA").ToString());
        Assert.Throws<FormatException>(() => Device.Parse("tpu"));
    }

    [Fact]
    public void The_host_allocator_keeps_freed_memory_on_glibc()
    {
        // Debian is glibc: the shim must have turned off unmapping of freed activations.
        Assert.True(Torch.HostAllocatorTuned);
        var before = Environment.GetEnvironmentVariable("HS_GLIBC_MALLOC_DEFAULTS");
        Assert.NotEqual("1", before);
    }

    [Fact]
    public void Cuda_counts_the_devices_the_kernel_shows()
    {
        // Independent of libtorch: the NVIDIA driver makes one /dev/nvidiaN per GPU. A CPU build
        // of the shim sees none whatever the machine has.
        var visible = Directory.Exists("/dev")
            ? Directory.GetFiles("/dev", "nvidia*").Count(f => Path.GetFileName(f)["nvidia".Length..] is { Length: > 0 } n && n.All(char.IsAsciiDigit))
            : 0;

        Assert.Equal(Cuda.CompiledIn ? visible : 0, Cuda.DeviceCount);
        Assert.Equal(Cuda.DeviceCount > 0, Cuda.IsAvailable);
    }
}
