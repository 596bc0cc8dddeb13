using System.Collections.Frozen;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Cluster;

/// <summary>
/// How HyperSwarm's protobuf messages cross between nodes, and into anything Akka persists: the
/// message's bytes, with its protobuf full name (<c>hyperswarm.v1.StartMember</c>) as the string
/// manifest, never a CLR type name, so renaming or moving a class breaks nothing already written.
/// Only the messages of HyperSwarm's own .proto files are known; anything else is refused both ways.
/// </summary>
public sealed class ProtobufMessageSerializer : SerializerWithStringManifest
{
    /// <summary>The identifier Akka writes beside every payload this serializer made (stable: never change it).</summary>
    public const int Id = 4217;

    private static readonly FrozenDictionary<string, MessageParser> Parsers = Known()
        .ToFrozenDictionary(d => d.FullName, d => d.Parser, StringComparer.Ordinal);

    /// <summary>Called by Akka with the system it serves.</summary>
    public ProtobufMessageSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    /// <summary>Every manifest this serializer reads and writes.</summary>
    public static IReadOnlyCollection<string> Manifests => Parsers.Keys;

    /// <inheritdoc />
    public override int Identifier => Id;

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        var message = Known(obj);
        return message.ToByteArray();
    }

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Parsers.TryGetValue(manifest, out var parser))
        {
            throw new SerializationException($"'{manifest}' is not a HyperSwarm message this node knows; is the other node a different version?");
        }

        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new SerializationException($"a {manifest} arrived malformed: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public override string Manifest(object o) => Known(o).Descriptor.FullName;

    private static IMessage Known(object obj) =>
        obj is IMessage message && Parsers.ContainsKey(message.Descriptor.FullName)
            ? message
            : throw new SerializationException($"{obj.GetType().Name} is not a HyperSwarm protobuf message; only those cross between nodes.");

    // Every message type of every HyperSwarm .proto file, nested ones included.
    private static IEnumerable<MessageDescriptor> Known()
    {
        FileDescriptor[] files =
        [
            CoordinatorReflection.Descriptor, WorkerReflection.Descriptor, PopulationReflection.Descriptor, HyperparametersReflection.Descriptor,
        ];
        return files.SelectMany(f => f.MessageTypes).SelectMany(Flatten);

        static IEnumerable<MessageDescriptor> Flatten(MessageDescriptor d) => d.NestedTypes.SelectMany(Flatten).Prepend(d);
    }
}
