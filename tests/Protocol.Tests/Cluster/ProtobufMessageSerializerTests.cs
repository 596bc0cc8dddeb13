using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using HyperSwarm.Protocol.Cluster;
using HyperSwarm.Protocol.V1;

namespace HyperSwarm.Protocol.Tests.Cluster;

public sealed class ProtobufMessageSerializerTests : IDisposable
{
    private readonly ActorSystem system = ClusterBootstrap.Start(new ClusterNodeOptions { Roles = [ClusterBootstrap.WorkerRole] });

    public void Dispose() => system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Fact]
    public void Akka_picks_it_for_every_HyperSwarm_message_with_the_protobuf_name_as_manifest()
    {
        var start = new StartMember { MemberId = "m07", Epoch = 3, Device = "cuda:1", ResumeFrom = new CheckpointRef { MemberId = "m07", Step = 400 } };

        var serializer = system.Serialization.FindSerializerFor(start);
        var manifest = Serialization.ManifestFor(serializer, start);
        var back = system.Serialization.Deserialize(serializer.ToBinary(start), serializer.Identifier, manifest);

        Assert.IsType<ProtobufMessageSerializer>(serializer);
        Assert.Equal(ProtobufMessageSerializer.Id, serializer.Identifier);
        Assert.Equal("hyperswarm.v1.StartMember", manifest);
        Assert.Equal(start, back);
    }

    [Fact]
    public void Every_message_of_the_protocol_round_trips_under_its_own_manifest()
    {
        var serializer = (SerializerWithStringManifest)system.Serialization.FindSerializerFor(new MemberReport());
        var types = typeof(StartMember).Assembly.GetTypes()
            .Where(t => t.Namespace == "HyperSwarm.Protocol.V1" && typeof(IMessage).IsAssignableFrom(t) && !t.IsAbstract)
            .ToList();

        Assert.True(types.Count >= 30, $"only {types.Count} message types found");
        Assert.Equal(types.Count, ProtobufMessageSerializer.Manifests.Count);
        foreach (var type in types)
        {
            var message = (IMessage)Activator.CreateInstance(type)!;
            var manifest = serializer.Manifest(message);
            Assert.StartsWith("hyperswarm.v1.", manifest, StringComparison.Ordinal);
            Assert.DoesNotContain(type.Namespace!, manifest, StringComparison.Ordinal); // never a CLR name
            Assert.Equal(message, serializer.FromBinary(serializer.ToBinary(message), manifest));
        }
    }

    [Fact]
    public void Unknown_manifests_malformed_bytes_and_foreign_messages_are_refused()
    {
        var serializer = (SerializerWithStringManifest)system.Serialization.FindSerializerFor(new MemberReport());

        var unknown = Assert.Throws<SerializationException>(() => serializer.FromBinary([], "HyperSwarm.Protocol.V1.StartMember"));
        var malformed = Assert.Throws<SerializationException>(() => serializer.FromBinary([0x0a, 0xff, 0xff], "hyperswarm.v1.StartMember"));
        var foreign = Assert.Throws<SerializationException>(() => serializer.ToBinary(Duration.FromTimeSpan(TimeSpan.FromSeconds(1))));

        Assert.Contains("is not a HyperSwarm message", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("arrived malformed", malformed.Message, StringComparison.Ordinal);
        Assert.Contains("Duration", foreign.Message, StringComparison.Ordinal);
    }
}
