using System.Globalization;
using System.Text;
using HyperSwarm.Coordinator.Population;
using HyperSwarm.Coordinator.Store;

namespace HyperSwarm.Coordinator.Node;

/// <summary>
/// Turns what the population actor applied into rows of the store's event log
/// (docs/coordinator.md, "What is durable"). One row per event-log entry, so the store's
/// sequences are the sequences watchers see; the input that produced the entries rides in the
/// first row's payload, so replaying the rows rebuilds the machine. An input that logs nothing
/// but changes the state gets one row of kind <see cref="InputKind"/>.
/// </summary>
/// <remarks>
/// Plain reports (admitted, nothing decided) are the flood: they are held back and written only
/// before the next input that is written anyway, on <see cref="Flush"/>, or never when a
/// snapshot covers them first. Held-back reports of one member collapse into the latest when
/// that gives the same state (<see cref="Supersedes"/>), so the log grows with members, not
/// with reports.
/// </remarks>
internal sealed class PopulationJournal
{
    /// <summary>The kind of a row that carries an input and no event-log entry; watchers never see it.</summary>
    public const string InputKind = "input";

    private readonly List<EventToAppend> _rows = [];
    private readonly List<LoggedEntry?> _entries = [];
    private readonly List<MemberReported> _held = [];
    private readonly Dictionary<string, int> _heldByMember = new(StringComparer.Ordinal);

    /// <summary>Rows waiting for the end of the turn.</summary>
    public int PendingRows => _rows.Count;

    /// <summary>Plain reports held back.</summary>
    public int HeldReports => _held.Count;

    /// <summary>Holds back a report that changed the state but decided nothing.</summary>
    public void Hold(MemberReported report)
    {
        if (_heldByMember.TryGetValue(report.MemberId, out var i) && Supersedes(report, _held[i]))
        {
            _held[i] = report;
            return;
        }
        _heldByMember[report.MemberId] = _held.Count;
        _held.Add(report);
    }

    /// <summary>Writes an input that must be durable, after the reports held back before it.</summary>
    public void Write(PopulationInput input, PopulationOutput output, PopulationState after, long? leaseEpoch = null)
    {
        Flush();
        var json = PopulationJson.Serialize(input);
        if (output.Log.IsEmpty)
        {
            Add(InputKind, MemberOf(input), WorkerOf(input), null, Payload(null, json, leaseEpoch), null);
            return;
        }
        for (var i = 0; i < output.Log.Length; i++)
        {
            var entry = output.Log[i];
            Add(entry.Kind, entry.MemberId, entry.WorkerId, entry.Reason, Payload(entry.At, i == 0 ? json : null, i == 0 ? leaseEpoch : null), new LoggedEntry(entry, after));
        }
    }

    /// <summary>Writes the reports held back, in the order they were first held.</summary>
    public void Flush()
    {
        foreach (var report in _held)
            Add(InputKind, report.MemberId, report.WorkerId, null, Payload(null, PopulationJson.Serialize(report), null), null);
        ForgetHeld();
    }

    /// <summary>A snapshot taken now covers the held reports: they need no row.</summary>
    public void ForgetHeld()
    {
        _held.Clear();
        _heldByMember.Clear();
    }

    /// <summary>Hands over the turn's rows and, in parallel, the log entry of each (null for input rows).</summary>
    public (EventToAppend[] Rows, LoggedEntry?[] Entries) Take()
    {
        var taken = (_rows.ToArray(), _entries.ToArray());
        _rows.Clear();
        _entries.Clear();
        return taken;
    }

    /// <summary>
    /// Whether applying only <paramref name="later"/> gives the state that applying
    /// <paramref name="earlier"/> then <paramref name="later"/> gives. Both were admitted and
    /// decided nothing, so each only overwrote the member's report fields; the later one wins
    /// on all of them when it is no earlier a step (the good-checkpoint and restart-budget rules
    /// compare steps) and carries hyperparameters whenever the earlier one did.
    /// </summary>
    public static bool Supersedes(MemberReported later, MemberReported earlier) =>
        later.MemberId == earlier.MemberId
        && later.WorkerId == earlier.WorkerId
        && later.Epoch == earlier.Epoch
        && later.Step >= earlier.Step
        && (later.Hyperparameters is not null || earlier.Hyperparameters is null);

    private void Add(string kind, string? memberId, string? workerId, string? reason, string payload, LoggedEntry? entry)
    {
        _rows.Add(new EventToAppend(kind, memberId, workerId, reason, payload));
        _entries.Add(entry);
    }

    // {"at":…,"input":{…},"lease":…}: "at" (ms) on entry rows, "input" on the row that carries
    // one, "lease" when that input was a join (the epoch must be durable before the reply).
    private static string Payload(DateTimeOffset? at, string? inputJson, long? leaseEpoch)
    {
        var text = new StringBuilder(inputJson?.Length + 48 ?? 32).Append('{');
        var comma = false;
        if (at is { } instant)
        {
            text.Append("\"at\":").Append(instant.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            comma = true;
        }
        if (inputJson is not null)
        {
            text.Append(comma ? "," : "").Append("\"input\":").Append(inputJson);
            comma = true;
        }
        if (leaseEpoch is { } epoch)
            text.Append(comma ? "," : "").Append("\"lease\":").Append(epoch.ToString(CultureInfo.InvariantCulture));
        return text.Append('}').ToString();
    }

    private static string? MemberOf(PopulationInput input) => input switch
    {
        MemberReported r => r.MemberId,
        CheckpointWritten c => c.Checkpoint.MemberId,
        _ => null,
    };

    private static string? WorkerOf(PopulationInput input) => input switch
    {
        MemberReported r => r.WorkerId,
        CheckpointWritten c => c.WorkerId,
        WorkerJoined j => j.WorkerId,
        WorkerLost l => l.WorkerId,
        _ => null,
    };
}
