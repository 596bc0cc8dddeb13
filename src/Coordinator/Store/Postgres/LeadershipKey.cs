using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HyperSwarm.Coordinator.Store.Postgres;

// The advisory-lock key of a run's leadership: the first 8 bytes of SHA-256 over a prefixed
// run id. Stable across processes and versions (string.GetHashCode is neither), and the
// prefix keeps it apart from keys other software on the same server might use.
internal static class LeadershipKey
{
    public static long For(string runId) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("hyperswarm/leader/" + runId)));
}
