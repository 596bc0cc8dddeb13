using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace HyperSwarm.Protocol.Tests.Support;

/// <summary>
/// Raw HTTP/2 requests for wire-level assertions: arbitrary bytes and headers, and the
/// response's status, headers, body and trailers as they arrived. Grpc.Net.Client hides
/// where a status came from (headers or trailers) and refuses to send malformed frames.
/// </summary>
public static class RawGrpc
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(30) };

    public static byte[] Frame(IMessage message) => Frame(message.ToByteArray());

    public static byte[] Frame(byte[] body, byte flag = 0)
    {
        var frame = new byte[5 + body.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
        body.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>An h2c/h2 POST request the way a gRPC client builds one, with <c>te: trailers</c>.</summary>
    public static HttpRequestMessage Request(Uri server, string path, HttpContent content, string contentType = "application/grpc")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        content.Headers.TryAddWithoutValidation("content-type", contentType);
        return request;
    }

    public static Task<RawResponse> PostAsync(
        Uri server, string path, byte[] body, string contentType = "application/grpc", params (string Name, string Value)[] headers) =>
        SendAsync(Client, server, path, body, contentType, headers);

    public static async Task<RawResponse> SendAsync(
        HttpClient client, Uri server, string path, byte[] body, string contentType, IEnumerable<(string Name, string Value)> headers)
    {
        using var request = Request(server, path, new ByteArrayContent(body), contentType);
        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        byte[] content = await response.Content.ReadAsByteArrayAsync();
        return new RawResponse(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            Flatten(response.Headers),
            Flatten(response.TrailingHeaders),
            content);
    }

    private static Dictionary<string, string> Flatten(HttpHeaders headers) =>
        headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
}

/// <summary>What a raw request got back.</summary>
public sealed record RawResponse(int HttpStatus, string? ContentType, Dictionary<string, string> Headers, Dictionary<string, string> Trailers, byte[] Body)
{
    /// <summary>grpc-status from the response headers: set only for a trailers-only answer.</summary>
    public string? HeaderStatus => Headers.GetValueOrDefault("grpc-status");

    /// <summary>grpc-status from the trailers: set for an answer that started normally.</summary>
    public string? TrailerStatus => Trailers.GetValueOrDefault("grpc-status");

    /// <summary>The status wherever it came, trailers first (GRPC.md §1.3).</summary>
    public string? Status => TrailerStatus ?? HeaderStatus;

    /// <summary>grpc-message as sent, still percent-encoded.</summary>
    public string? Message => Trailers.GetValueOrDefault("grpc-message") ?? Headers.GetValueOrDefault("grpc-message");

    /// <summary>A response header or trailer, whichever has it.</summary>
    public string? Metadata(string name) => Headers.GetValueOrDefault(name) ?? Trailers.GetValueOrDefault(name);

    public override string ToString() =>
        $"HTTP {HttpStatus} {ContentType} headers[{string.Join(", ", Headers)}] trailers[{string.Join(", ", Trailers)}] body {Body.Length} bytes";
}
