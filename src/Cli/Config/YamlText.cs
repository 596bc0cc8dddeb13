using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HyperSwarm.Cli.Config;

/// <summary>Writes one YAML scalar: plain where that reads back unchanged, double-quoted otherwise.</summary>
internal static partial class YamlText
{
    /// <summary>The YAML for <paramref name="text"/>; null becomes <c>null</c>.</summary>
    public static string Scalar(string? text)
    {
        if (text is null) return "null";

        // Plain only for simple words, paths and numbers that are not one of YAML's null spellings;
        // anything else (spaces, ':', '#', quotes, flow characters) is quoted rather than reasoned about.
        if (SafePlain().IsMatch(text) && text is not ("null" or "Null" or "NULL")) return text;

        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\t': quoted.Append("\\t"); break;
                case < ' ' or '\u007f': quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: quoted.Append(c); break;
            }
        }

        return quoted.Append('"').ToString();
    }

    [GeneratedRegex(@"^-?[A-Za-z0-9_./][A-Za-z0-9_./+-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex SafePlain();
}
