namespace HyperSwarm.Protocol.Grpc;

/// <summary>
/// Base64 for <c>-bin</c> metadata: sent without padding, accepted with or without it
/// (GRPC.md §1.1).
/// </summary>
internal static class MetadataBase64
{
    public static string Encode(byte[] value) => Convert.ToBase64String(value).TrimEnd('=');

    public static byte[] Decode(string value)
    {
        string trimmed = value.Trim().TrimEnd('=');
        string padded = (trimmed.Length % 4) switch
        {
            2 => trimmed + "==",
            3 => trimmed + "=",
            _ => trimmed,
        };
        var buffer = new byte[padded.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(padded, buffer, out int written))
        {
            throw new RpcException(GrpcStatusCode.Internal, "Invalid base64 in -bin metadata.");
        }

        return buffer[..written];
    }
}
