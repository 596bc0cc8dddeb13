using System.Text;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// Percent-encoding of <c>grpc-message</c> (GRPC.md §1.3): UTF-8, then every byte outside
/// 0x20–0x7E, and '%' itself, as <c>%XX</c>. Decoding never fails: bad escapes stay as they are.
/// </summary>
public static class StatusMessageEncoding
{
    /// <summary>Encodes a status message for the <c>grpc-message</c> header.</summary>
    public static string Encode(string message)
    {
        if (!NeedsEncoding(message))
        {
            return message;
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(message);
        var text = new StringBuilder(utf8.Length * 3);
        foreach (byte b in utf8)
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(Convert.ToHexString([b]));
            }
        }

        return text.ToString();
    }

    /// <summary>Decodes a <c>grpc-message</c> value; malformed escapes are kept literally.</summary>
    public static string Decode(string value)
    {
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        int literalStart = 0;
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length && IsHex(value[i + 1]) && IsHex(value[i + 2]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[literalStart..i]));
                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
                literalStart = i + 1;
            }
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(value[literalStart..]));
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static bool NeedsEncoding(string message)
    {
        foreach (char c in message)
        {
            if (c is < (char)0x20 or > (char)0x7E or '%')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);
}
