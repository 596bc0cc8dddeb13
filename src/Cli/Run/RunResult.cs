using System.Text.Json;
using System.Text.Json.Serialization;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.GpuActors.Training;

namespace HyperSwarm.Cli.Run;

/// <summary>
/// The run directory's <c>result.json</c> (and <c>--json</c>'s last line): the best member's
/// test score, what it took, and how each member ended.
/// </summary>
internal sealed record RunResult(
    [property: JsonPropertyName("run")] string Run,
    [property: JsonPropertyName("best_member")] string BestMember,
    [property: JsonPropertyName("test_accuracy")] double TestAccuracy,
    [property: JsonPropertyName("test_loss")] double TestLoss,
    [property: JsonPropertyName("validation_accuracy")] double ValidationAccuracy,
    [property: JsonPropertyName("weight_steps")] long WeightSteps,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("population")] int Population,
    [property: JsonPropertyName("workers")] int Workers,
    [property: JsonPropertyName("members_finished")] int MembersFinished,
    [property: JsonPropertyName("total_steps")] long TotalSteps,
    [property: JsonPropertyName("budget_seconds")] double BudgetSeconds,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("members")] IReadOnlyList<MemberResult> Members)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static RunResult Of(RunDirectory directory, EmbeddedRunRequest request, RunPlan plan, PopulationState state, PublishedModel published, TimeSpan elapsed) => new(
        directory.Path,
        published.MemberId,
        Math.Round(published.Test.Accuracy, 5),
        Math.Round(published.Test.Loss, 5),
        Math.Round(published.Validation.Accuracy, 5),
        published.Step,
        published.ModelDirectory,
        plan.Population,
        plan.Workers,
        state.Members.Values.Count(m => m.Status == MemberStatus.Finished),
        plan.TotalSteps,
        request.Budget.TotalSeconds,
        Math.Round(elapsed.TotalSeconds, 1),
        [.. state.Members.Values.Select(MemberResult.Of)]);

    public string ToJson(bool indented) => JsonSerializer.Serialize(this, indented ? Indented : JsonSerializerOptions.Default);
}

/// <summary>How one member ended: its status, step and last validation figures.</summary>
internal sealed record MemberResult(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("step")] long Step,
    [property: JsonPropertyName("validation_loss")] double? ValidationLoss,
    [property: JsonPropertyName("validation_accuracy")] double? ValidationAccuracy)
{
    public static MemberResult Of(PopulationMember member) => new(
        member.Id,
        member.Status.ToString().ToLowerInvariant(),
        member.Step,
        Finite(member.LastReport?.ValidationLoss),
        Finite(member.LastReport?.ValidationAccuracy));

    // JSON has no NaN: a member that never reported has null figures.
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 5) : null;
}
