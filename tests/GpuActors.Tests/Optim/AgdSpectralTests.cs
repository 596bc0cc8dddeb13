using HyperSwarm.GpuActors.Models;
using HyperSwarm.GpuActors.Optim;
using HyperSwarm.GpuActors.Tests.Support;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Optim;

/// <summary>Spectral AGD: weights step along their gradient's polar factor, G sums nuclear norms.</summary>
public sealed class AgdSpectralTests
{
    [Fact]
    public void A_spectral_step_moves_weights_along_the_polar_factor_with_eta_from_the_nuclear_norms()
    {
        // Arrange
        Torch.Torch.ManualSeed(21);
        using var net = new TinyConvFcn();
        var parameters = net.NamedParameters().ToList();
        AgdInit.Apply(parameters);
        net.Backward();
        var before = ParameterSnapshot.Values(parameters);
        var grads = parameters.Select(p => AgdTests.GradOf(p.Parameter)).ToList();
        var frobenius = AgdTests.HandComputedStep(parameters, before, grads, out var frobeniusEta); // biases follow this rule
        var depth = parameters.Count(p => p.Parameter.Role == ParameterRole.Weight);
        var directions = new List<float[]?>();
        var g = 0.0;
        foreach (var (k, (name, p)) in parameters.Index())
        {
            if (p.Role != ParameterRole.Weight)
            {
                directions.Add(null);
                continue;
            }

            using var scope = TensorScope.Begin();
            var direction = PolarFactor.OfSlices(Tensor.FromArray<float>(grads[k], p.Shape)).ToArray<float>();
            directions.Add(direction);
            g += Agd.WeightScale(name, p.Shape) * grads[k].Zip(direction, (a, b) => (double)a * b).Sum(); // s·Σ_slices ‖∇‖_*
        }

        var eta = Math.Log((1 + Math.Sqrt(1 + 4 * g / depth)) / 2);
        using var agd = new Agd(parameters, gain: 2, spectral: true);

        // Act
        agd.Step();

        // Assert: η exceeds the Frobenius rule's (‖∇‖_* ≥ ‖∇‖_F), every weight moves by −(2η/L)·s·polar(∇).
        Assert.True(eta > frobeniusEta, $"η {eta} against the Frobenius rule's {frobeniusEta}");
        Assert.Equal(eta, agd.LastStepSize, 5);
        for (var k = 0; k < parameters.Count; k++)
        {
            var (name, p) = parameters[k];
            var actual = p.Value.ToArray<float>();
            for (var e = 0; e < actual.Length; e++)
            {
                var expected = directions[k] is { } d
                    ? before[k][e] - 2 * eta / depth * Agd.WeightScale(name, p.Shape) * d[e]
                    : before[k][e] + (frobenius[k][e] - before[k][e]) * 2 * eta / frobeniusEta; // the bias rule at this step's size
                Assert.Equal(expected, actual[e], 4);
            }
        }
    }

    [Fact]
    public void Spectral_AGD_trains_the_tiny_net_and_leaves_LiveTensors_flat()
    {
        // Arrange: one fixed batch, so the loss must fall if the steps descend.
        Torch.Torch.ManualSeed(22);
        var before = Torch.Torch.LiveTensors;
        using (var net = new TinyConvFcn())
        {
            var parameters = net.NamedParameters().ToList();
            AgdInit.Apply(parameters);
            using var agd = new Agd(parameters, momentum: 0.9, spectral: true);
            using var data = TensorScope.Begin();
            var x = Torch.Torch.Randn([16, 2, 4, 4]);
            var y = Torch.Torch.RandInt(0, 4, [16]);
            var afterSetup = Torch.Torch.LiveTensors;
            double Loss()
            {
                using var scope = TensorScope.Begin();
                var loss = Functional.CrossEntropy(net.Forward(x), y);
                loss.Backward();
                return loss.ToDouble();
            }

            // Act
            var first = Loss();
            var last = first;
            for (var step = 0; step < 60; step++)
            {
                agd.Step();
                Assert.Equal(afterSetup, Torch.Torch.LiveTensors);
                last = Loss();
            }

            // Assert
            Assert.True(last < 0.5 * first, $"loss {first:F4} → {last:F4}");
            agd.Step();
        }

        Assert.Equal(before, Torch.Torch.LiveTensors);
    }
}
