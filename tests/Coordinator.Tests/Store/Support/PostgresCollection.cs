namespace HyperSwarm.Coordinator.Tests.Store.Support;

/// <summary>Every PostgreSQL test class shares one server, started once per test run.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}
