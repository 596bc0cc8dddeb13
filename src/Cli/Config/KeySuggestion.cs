namespace HyperSwarm.Cli.Config;

/// <summary>Finds the known name a mistyped one most likely meant, for "did you mean ...?".</summary>
internal static class KeySuggestion
{
    /// <summary>Edits (insert, delete, replace) within which a name counts as a typo of another.</summary>
    public const int MaxDistance = 2;

    /// <summary>
    /// The name in <paramref name="known"/> closest to <paramref name="name"/> within
    /// <see cref="MaxDistance"/> edits; failing that, one with the same last part
    /// (<c>batch_size</c> written at the top level means <c>data.batch_size</c>); else null.
    /// </summary>
    public static string? Nearest(string name, IEnumerable<string> known)
    {
        var candidates = known.ToList();
        var closest = candidates
            .Select(k => (Name: k, Distance: Distance(name, k)))
            .Where(c => c.Distance <= MaxDistance)
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        if (closest.Name is not null) return closest.Name;

        var leaf = LastPart(name);
        return candidates.FirstOrDefault(k => k != name && LastPart(k) == leaf);
    }

    /// <summary>Levenshtein distance: the fewest single-character edits from <paramref name="a"/> to <paramref name="b"/>.</summary>
    public static int Distance(string a, string b)
    {
        // One row of the dynamic-programming table at a time; names are short.
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var replace = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(replace, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string LastPart(string name) => name[(name.LastIndexOf('.') + 1)..];
}
