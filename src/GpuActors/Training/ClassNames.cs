namespace HyperSwarm.GpuActors.Training;

/// <summary>Human-readable labels for the datasets we know; indices for the rest.</summary>
public static class ClassNames
{
    private static readonly string[] FashionMnist =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private static readonly string[] Cifar10 =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The names of <paramref name="classes"/> labels of dataset <paramref name="dataset"/>.</summary>
    public static string[] For(string dataset, int classes) => (dataset, classes) switch
    {
        ("fashion-mnist", 10) => [.. FashionMnist],
        ("cifar-10", 10) => [.. Cifar10],
        _ => Enumerable.Range(0, classes).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
    };
}
