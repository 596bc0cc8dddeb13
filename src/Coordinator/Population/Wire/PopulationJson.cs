using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace HyperSwarm.Coordinator.Population;

/// <summary>
/// JSON for what the store keeps: state snapshots and the events applied since, so that
/// snapshot + replay rebuilds the population. Infinite bounds and NaN losses are written as
/// <c>"Infinity"</c> and <c>"NaN"</c> (a one-sided range has an infinite upper bound).
/// </summary>
public static class PopulationJson
{
    // The discriminators are the stored names of the event types: renaming a C# type must not
    // make old logs unreadable, so they are spelled out here rather than taken from the type.
    private static readonly ImmutableArray<(Type Type, string Name)> InputTypes =
    [
        (typeof(RunStarted), "run_started"),
        (typeof(WorkerJoined), "worker_joined"),
        (typeof(WorkerLost), "worker_lost"),
        (typeof(MemberReported), "member_reported"),
        (typeof(CheckpointWritten), "checkpoint_written"),
        (typeof(MemberDiverged), "member_diverged"),
        (typeof(MemberFailed), "member_failed"),
        (typeof(MemberFinished), "member_finished"),
        (typeof(TimerTicked), "timer_ticked"),
        (typeof(ChangeFailed), "change_failed"),
    ];

    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The state as one line of JSON.</summary>
    public static string Serialize(PopulationState state) => JsonSerializer.Serialize(state, Options);

    /// <summary>A state read back from <see cref="Serialize(PopulationState)"/>.</summary>
    public static PopulationState DeserializeState(string json)
    {
        var state = JsonSerializer.Deserialize<PopulationState>(json, Options)
            ?? throw new JsonException("a population snapshot cannot be null.");
        // The deserializer builds sorted maps with the default comparer; decisions walk them in
        // order, so restore the ordinal one the machine was built with.
        return state with
        {
            Members = state.Members.WithComparers(StringComparer.Ordinal),
            Workers = state.Workers.WithComparers(StringComparer.Ordinal),
        };
    }

    /// <summary>An event as one line of JSON, its type in a <c>"type"</c> property.</summary>
    public static string Serialize(PopulationInput input) => JsonSerializer.Serialize(input, Options);

    /// <summary>An event read back from <see cref="Serialize(PopulationInput)"/>.</summary>
    public static PopulationInput DeserializeInput(string json) =>
        JsonSerializer.Deserialize<PopulationInput>(json, Options) ?? throw new JsonException("a population event cannot be null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(DeclareInputTypes);
        resolver.Modifiers.Add(SkipComputedProperties);
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            TypeInfoResolver = resolver,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        options.MakeReadOnly();
        return options;
    }

    private static void DeclareInputTypes(JsonTypeInfo info)
    {
        if (info.Type != typeof(PopulationInput)) return;
        info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "type" };
        foreach (var (type, name) in InputTypes) info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, name));
    }

    // Get-only properties (IsTerminal, Capacity, IsTwoSided) are derived from stored ones:
    // writing them would only add noise to every snapshot.
    private static void SkipComputedProperties(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Namespace?.StartsWith("HyperSwarm.Coordinator", StringComparison.Ordinal) != true) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Set is null) info.Properties.RemoveAt(i);
        }
    }
}
