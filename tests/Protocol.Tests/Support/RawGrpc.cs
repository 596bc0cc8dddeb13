using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;

namespace HyperSwarm.Protocol.Tests.Support;

/// <summary>
/// Raw HTTP/2 requests for wire-level assertions: arbitrary bytes and headers, and the
/// response's status, headers, body and trailers as they arrived.
/// </summary>
public static class RawGrpc
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(30) };

    public static byte[] Frame(IMessage message)
    {
        byte[] body = message.ToByteArray();
        return Frame(body);
    }

    public static byte[] Frame(byte[] body, byte flag = 0)
    {
        var frame = new byte[5 + body.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)body.Length);
        body.CopyTo(frame, 5);
        return frame;
    }

    public static async Task<RawResponse> PostAsync(
        Uri server, string path, byte[] body, string contentType = "application/grpc", params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Content.Headers.TryAddWithoutValidation("content-type", contentType);
        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using HttpResponseMessage response = await Client.SendAsync(request);
        byte[] content = await response.Content.ReadAsByteArrayAsync();
        return new RawResponse(
            (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType,
            Header(response.Headers, "grpc-status"),
            Header(response.TrailingHeaders, "grpc-status"),
            Header(response.Headers, "grpc-message") ?? Header(response.TrailingHeaders, "grpc-message"),
            content);
    }

    private static string? Header(System.Net.Http.Headers.HttpHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.First() : null;
}

/// <summary>What a raw request got back.</summary>
public sealed record RawResponse(
    int HttpStatus, string? ContentType, string? HeaderStatus, string? TrailerStatus, string? Message, byte[] Body)
{
    public string? Status => TrailerStatus ?? HeaderStatus;
}
