using System.Net.Http.Headers;

namespace HyperSwarm.Protocol.Grpc;

/// <summary>Custom metadata out of HttpClient's response headers or trailers.</summary>
internal static class ResponseMetadata
{
    public static Metadata From(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers.NonValidated)
        {
            if (ReservedHeaders.IsReserved(name))
            {
                continue;
            }

            foreach (string value in values)
            {
                metadata.AddFromWire(name.ToLowerInvariant(), value);
            }
        }

        return metadata;
    }
}
