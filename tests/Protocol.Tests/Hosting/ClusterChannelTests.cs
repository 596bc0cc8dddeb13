using Google.Protobuf;
using Grpc.Core;
using HyperSwarm.Protocol.Hosting;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;

namespace HyperSwarm.Protocol.Tests.Hosting;

/// <summary>What <see cref="ClusterChannel"/> sets up on Grpc.Net.Client, seen through calls to a <see cref="GrpcHost"/>.</summary>
public sealed class ClusterChannelTests
{
    [Theory]
    [InlineData("10.0.0.7:5000", "http://10.0.0.7:5000/")]
    [InlineData("worker-3:7001", "http://worker-3:7001/")]
    [InlineData("https://coordinator:443", "https://coordinator/")]
    [InlineData("http://[::1]:9000", "http://[::1]:9000/")]
    public void Peer_addresses_become_uris_with_http_as_the_default_scheme(string advertised, string expected)
    {
        Assert.Equal(new Uri(expected), ClusterChannel.PeerUri(advertised));
    }

    [Fact]
    public async Task Disposing_an_unfinished_stream_cancels_the_server_handler()
    {
        await using var h = await GrpcHarness.StartAsync();
        var request = new StreamingOutputCallRequest { ResponseSizes = { Enumerable.Repeat(1, 1000) }, IntervalMs = 10 };

        var call = h.Client.StreamingOutputCall(request);
        Assert.True(await call.ResponseStream.MoveNext());
        call.Dispose();
        await h.Service.HandlerCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
        Assert.Equal(["StreamingOutputCall"], h.Service.CancelledMethods);
    }

    [Fact]
    public async Task A_request_over_the_send_limit_fails_without_reaching_the_server()
    {
        await using var h = await GrpcHarness.StartAsync(channelOptions: _ => new ClusterChannelOptions { MaxSendMessageSize = 100 });
        int callsBefore = h.Service.Calls;

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            h.Client.UnaryCallAsync(new SimpleRequest { Payload = ByteString.CopyFrom(new byte[200]) }).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal(callsBefore, h.Service.Calls);
    }

    [Fact]
    public async Task The_default_receive_limit_is_four_mebibytes()
    {
        // The host may send any size; the channel's default limit refuses a response over 4 MiB.
        await using var h = await GrpcHarness.StartAsync();

        var fits = await h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = GrpcHostOptions.DefaultMaxReceiveMessageSize - 16 });
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            h.Client.UnaryCallAsync(new SimpleRequest { ResponseSize = GrpcHostOptions.DefaultMaxReceiveMessageSize + 1 }).ResponseAsync);

        Assert.Equal(GrpcHostOptions.DefaultMaxReceiveMessageSize - 16, fits.Payload.Length);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_server_that_answers_a_client_stream_early_ends_the_call()
    {
        await using var h = await GrpcHarness.StartAsync(new GrpcHostOptions { MaxReceiveMessageSize = 1000 });

        using var call = h.Client.StreamingInputCall();
        await call.RequestStream.WriteAsync(new Payload { Body = ByteString.CopyFrom(new byte[10]) });
        await call.RequestStream.WriteAsync(new Payload { Body = ByteString.CopyFrom(new byte[5000]) });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        var late = await Assert.ThrowsAsync<RpcException>(() => call.RequestStream.WriteAsync(new Payload { Body = ByteString.CopyFrom(new byte[10]) }));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        // A write after the call ended fails with the call's status; it is not silently dropped.
        Assert.Equal(StatusCode.ResourceExhausted, late.StatusCode);
    }

    [Fact]
    public async Task A_server_that_is_not_there_is_unavailable()
    {
        using var channel = ClusterChannel.Open(new Uri("http://127.0.0.1:1"));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new TestService.TestServiceClient(channel).UnaryCallAsync(new SimpleRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task Calls_without_a_token_send_no_authorization_header()
    {
        // The channel of a cluster without a token must not send an empty "Bearer ".
        await using var h = await GrpcHarness.StartAsync();
        var headers = new Metadata { { "x-echo-seen", "1" } };

        using var call = h.Client.UnaryCallAsync(new SimpleRequest(), headers);
        await call.ResponseAsync;

        Assert.Equal("1", (await call.ResponseHeadersAsync).GetValue("x-echo-seen"));
        Assert.Null(h.Service.LastAuthorization);
    }

    [Fact]
    public async Task The_token_travels_as_a_bearer_authorization_header_over_h2c()
    {
        var token = new ClusterToken("channel-token-0123456789");
        await using var h = await GrpcHarness.StartAsync(new GrpcHostOptions { Token = token }, _ => new ClusterChannelOptions { Token = token });

        await h.Client.UnaryCallAsync(new SimpleRequest());

        Assert.Equal("Bearer channel-token-0123456789", h.Service.LastAuthorization);
    }
}
