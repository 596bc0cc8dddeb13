using HyperSwarm.GpuActors.Models;
using HyperSwarm.Torch;

namespace HyperSwarm.GpuActors.Tests.Models;

/// <summary>The test FCN: layer names, shapes and ReLU·√2 between layers.</summary>
public sealed class FcnTests
{
    [Fact]
    public void Layers_are_named_in_order_with_the_widths_asked_for()
    {
        using var net = new Fcn(inputs: 10, width: 6, depth: 3, classes: 4, bias: true);

        var shapes = net.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape);

        Assert.Equal(["layer0.weight", "layer0.bias", "layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"], shapes.Keys);
        Assert.Equal([6L, 10], shapes["layer0.weight"]);
        Assert.Equal([6L, 6], shapes["layer1.weight"]);
        Assert.Equal([4L, 6], shapes["layer2.weight"]);
    }

    [Fact]
    public void Forward_applies_relu_times_sqrt2_between_layers_and_flattens_the_input()
    {
        // Arrange
        Torch.Torch.ManualSeed(12);
        using var net = new Fcn(inputs: 6, width: 5, depth: 2, classes: 3);
        using var scope = TensorScope.Begin();
        var x = Torch.Torch.Randn([4, 2, 3]);

        // Act
        var logits = net.Forward(x);

        // Assert
        var hidden = Functional.Linear(x.Flatten(1), net.Layers[0].Weight.Value).Relu() * Math.Sqrt(2);
        var expected = Functional.Linear(hidden, net.Layers[1].Weight.Value);
        Assert.Equal([4L, 3], logits.Shape);
        Assert.Equal(expected.ToArray<float>(), logits.ToArray<float>());
        Assert.DoesNotContain(net.NamedParameters(), p => p.Parameter.Role == ParameterRole.Bias);
    }
}
