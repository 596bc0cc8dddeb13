using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace HyperSwarm.Cli.Worker;

/// <summary>
/// A member's seed, derived from the run's seed and the member's id: members of one run start
/// from different weights, splits and perturbations (a population of copies would explore
/// nothing), yet the same member gets the same seed on any worker and after every restart.
/// </summary>
internal static class MemberSeed
{
    /// <summary>A non-negative seed from <paramref name="runSeed"/> and <paramref name="memberId"/>.</summary>
    public static int Derive(int runSeed, string memberId)
    {
        ArgumentNullException.ThrowIfNull(memberId);

        // A cryptographic hash only because it is in the BCL and stable across processes and
        // platforms (string.GetHashCode is randomised per process); its cost is once per start.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{runSeed}/{memberId}")));
        return (int)(BinaryPrimitives.ReadUInt32LittleEndian(hash) & int.MaxValue);
    }
}
