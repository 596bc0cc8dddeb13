namespace HyperSwarm.Cli.Tests.Cluster;

/// <summary>The run config the cluster tests launch with: a small CNN on synthetic images, frequent reports and checkpoints.</summary>
internal static class SmallRunConfig
{
    /// <summary>The YAML, with the config's <paramref name="budget"/> (<c>none</c> or a duration) and <paramref name="maxSteps"/>.</summary>
    public static string Yaml(string dataDirectory, string budget, long maxSteps) => $"""
        seed: 1
        budget: {budget}
        max_steps: {maxSteps}
        data:
          path: {dataDirectory}
          batch_size: 32
          eval_batch_size: 100
        model:
          kind: small-cnn
        optimizer:
          kind: adam
        stn:
          warmup_steps: 4
          train_steps: 2
          val_steps: 1
        reporting:
          log_every_steps: 5
          eval_every_steps: 10
          checkpoint_every_steps: 10
        """;
}
