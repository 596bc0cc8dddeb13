using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace HyperSwarm.Protocol.Hosting;

/// <summary>
/// The shared secret that lets a node into the cluster (DESIGN.md §5). Clients send it as
/// <c>authorization: Bearer …</c> metadata (<see cref="ClusterChannel"/>); the server's
/// ASP.NET Core authentication (<see cref="ClusterTokenAuthentication"/>) answers
/// UNAUTHENTICATED, before any handler runs, to a call without it or with a wrong one.
/// </summary>
public sealed class ClusterToken
{
    /// <summary>The environment variable read by <see cref="Resolve"/>.</summary>
    public const string EnvironmentVariable = "HYPERSWARM_CLUSTER_TOKEN";

    internal const string MetadataKey = "authorization";
    private const string Scheme = "Bearer ";
    private readonly byte[] _expectedHeader;

    /// <summary>Wraps a token value: printable ASCII, no spaces, at least 16 characters.</summary>
    public ClusterToken(string value)
    {
        if (value.Length < 16 || value.Any(c => c is <= ' ' or > '~'))
        {
            throw new ArgumentException("A cluster token is at least 16 printable ASCII characters without spaces.", nameof(value));
        }

        HeaderValue = Scheme + value;
        _expectedHeader = Encoding.ASCII.GetBytes(HeaderValue);
    }

    internal string HeaderValue { get; }

    /// <summary>
    /// The token from configuration when given, else from <see cref="EnvironmentVariable"/>;
    /// null when neither is set (an open cluster, only sensible on loopback).
    /// </summary>
    public static ClusterToken? Resolve(string? configured)
    {
        string? value = string.IsNullOrEmpty(configured)
            ? Environment.GetEnvironmentVariable(EnvironmentVariable)
            : configured;
        return string.IsNullOrEmpty(value) ? null : new ClusterToken(value.Trim());
    }

    /// <summary>
    /// Reads a token file. A file that its group or others can read still works, but it is
    /// logged as a warning: anyone who can read it can join the cluster.
    /// </summary>
    public static ClusterToken FromFile(string path, ILogger logger)
    {
        if (!OperatingSystem.IsWindows())
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            const UnixFileMode OthersCanRead = UnixFileMode.GroupRead | UnixFileMode.OtherRead;
            if ((mode & OthersCanRead) != 0)
            {
                logger.LogWarning(
                    "Cluster token file {Path} is readable by group or others (mode {Mode}); chmod 600 it.",
                    path,
                    mode);
            }
        }

        return new ClusterToken(File.ReadAllText(path).Trim());
    }

    /// <summary>
    /// Whether a plain HTTP request presents the token: an <c>Authorization: Bearer …</c> header, or
    /// the bare token (a <c>?token=</c> query: a browser's EventSource cannot set headers).
    /// Compared in constant time, as gRPC calls are.
    /// </summary>
    public bool IsPresentedBy(string? authorization, string? bareToken) =>
        Matches(authorization) || (bareToken is not null && Matches(Scheme + bareToken));

    /// <summary>Compares in constant time, so the token cannot be guessed byte by byte.</summary>
    internal bool Matches(string? headerValue) =>
        headerValue is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(headerValue), _expectedHeader);
}
