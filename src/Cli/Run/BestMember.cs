using HyperSwarm.Cli.Worker;
using HyperSwarm.Coordinator.Node;
using HyperSwarm.GpuActors.Checkpoints;
using HyperSwarm.GpuActors.Data;
using HyperSwarm.GpuActors.Training;
using HyperSwarm.GpuActors.Worker;

namespace HyperSwarm.Cli.Run;

/// <summary>What the best member scored on the test split once published.</summary>
internal sealed record PublishedModel(string MemberId, long Step, Evaluation Test, Evaluation Validation, string ModelDirectory);

/// <summary>
/// Publishes a run's best member (<see cref="RunOutcome"/>): loads its last checkpoint (the one
/// the coordinator ranked) into the member's own model, scores it on the test split and exports
/// it (safetensors and the JSON model card) into the run directory's <c>model</c> folder.
/// </summary>
internal static class BestMember
{
    public static Task<PublishedModel> PublishAsync(RunOutcome outcome, TrainConfig runConfig, RunDirectory directory, int threads, CancellationToken cancellationToken)
    {
        if (outcome.BestMemberId is not { } memberId || outcome.Checkpoint is not { } checkpoint)
        {
            throw new IOException("the run ended without a member that finished with a finite loss, so there is no model to export.");
        }

        if (!File.Exists(checkpoint.Path)) throw new IOException($"the best member's checkpoint {checkpoint.Path} is gone.");
        // The member's own seed: its validation split is the one it was ranked on.
        var config = runConfig with { Seed = MemberSeed.Derive(runConfig.Seed, memberId) };
        return TorchThread.RunAsync(threads, () =>
        {
            try
            {
                using var run = new TrainingRun(config);
                run.ResumeFrom(checkpoint.Path);
                var (test, validation) = run.TestAndExport(directory.ModelPath, cancellationToken);
                return new PublishedModel(memberId, run.WeightSteps, test, validation, directory.ModelPath);
            }
            catch (CheckpointException e)
            {
                throw new IOException($"the best member's checkpoint cannot be read: {e.Message}", e);
            }
            catch (DataFormatException e)
            {
                throw new UserError(e.Message);
            }
        });
    }
}
