using HyperSwarm.Coordinator.Store;
using HyperSwarm.Coordinator.Store.Postgres;
using HyperSwarm.Coordinator.Tests.Store.Support;

namespace HyperSwarm.Coordinator.Tests.Store;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPopulationStoreTests(PostgresServer server) : PopulationStoreContract
{
    private PostgresStoreUri _uri = null!;

    public override async Task InitializeAsync() => _uri = await server.RentDatabaseAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await server.ReturnDatabaseAsync(_uri);
    }

    protected override async Task<IPopulationStore> OpenStoreAsync() =>
        await PostgresPopulationStore.OpenAsync(_uri, Clock);

    [Fact]
    public async Task The_store_opens_from_its_uri_text_with_a_percent_encoded_password()
    {
        var text = $"postgresql://{PostgresServer.User}:{Uri.EscapeDataString(PostgresServer.Password)}@127.0.0.1:{server.Port}/{_uri.Database}";

        await using var store = await PopulationStore.OpenAsync(text, Clock);

        Assert.Equal(1, await store.AppendAsync("tick", null, null, null, "{}"));
    }

    [Fact]
    public async Task The_store_opens_over_a_unix_socket()
    {
        var text = $"postgres://{PostgresServer.User}@{Uri.EscapeDataString(server.SocketDirectory)}:{server.Port}/{_uri.Database}";

        await using var store = await PopulationStore.OpenAsync(text, Clock);

        Assert.Equal(0, await store.GetLastSequenceAsync());
    }

    [Fact]
    public async Task Two_coordinators_appending_to_one_database_share_one_gap_free_sequence()
    {
        await using var first = await PostgresPopulationStore.OpenAsync(_uri, Clock);
        await using var second = await PostgresPopulationStore.OpenAsync(_uri, Clock);

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 50; i++) await first.AppendAsync("a", null, null, null, "{}"); }),
            Task.Run(async () => { for (var i = 0; i < 50; i++) await second.AppendAsync("b", null, null, null, "{}"); }));

        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), (await ReadAllAsync(first)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task A_missing_database_is_named_in_one_sentence()
    {
        var missing = _uri with { Database = "no_such_db" };

        var error = await Assert.ThrowsAsync<StoreException>(() => PostgresPopulationStore.OpenAsync(missing));

        Assert.Equal(
            $"The PostgreSQL database 'no_such_db' does not exist on 127.0.0.1:{server.Port}; create it first (createdb no_such_db).",
            error.Message);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_echoing_any_password()
    {
        var wrong = _uri with { Password = "not-the-password" };

        var error = await Assert.ThrowsAsync<StoreException>(() => PostgresPopulationStore.OpenAsync(wrong));

        Assert.Equal(
            $"The PostgreSQL server at 127.0.0.1:{server.Port} refused user '{PostgresServer.User}' for database '{_uri.Database}': wrong password or no access.",
            error.Message);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_reported_unreachable()
    {
        // Another loopback address: the server listens on 127.0.0.1 only, so nothing answers here.
        var nowhere = _uri with { Host = "127.0.0.2" };

        var error = await Assert.ThrowsAsync<StoreException>(() => PostgresPopulationStore.OpenAsync(nowhere));

        Assert.StartsWith($"The PostgreSQL server at 127.0.0.2:{server.Port} cannot be reached: ", error.Message, StringComparison.Ordinal);
    }
}
