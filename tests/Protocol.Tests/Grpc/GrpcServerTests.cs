using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HyperSwarm.Protocol.Grpc;
using HyperSwarm.Protocol.Tests.Support;
using HyperSwarm.Protocol.Tests.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace HyperSwarm.Protocol.Tests.Grpc;

public sealed class GrpcServerTests
{
    [Fact]
    public async Task Server_listens_on_loopback_with_an_ephemeral_port_by_default()
    {
        await using var h = await GrpcHarness.StartAsync();

        Assert.Equal("127.0.0.1", h.Server.Address.Host);
        Assert.NotEqual(0, h.Server.Port);
    }

    [Fact]
    public async Task Tls_with_a_required_client_certificate_accepts_only_the_known_client()
    {
        using X509Certificate2 serverCert = SelfSigned("CN=hyperswarm-server");
        using X509Certificate2 clientCert = SelfSigned("CN=hyperswarm-worker");
        var serverOptions = new GrpcServerOptions
        {
            Certificate = serverCert,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (_, cert, _, _) => cert?.GetCertHashString() == clientCert.Thumbprint,
        };
        RemoteCertificateValidationCallback pinServer = (_, cert, _, _) => cert?.GetCertHashString() == serverCert.Thumbprint;

        await using var h = await GrpcHarness.StartAsync(serverOptions, address => new GrpcChannelOptions
        {
            Address = address, ClientCertificate = clientCert, ServerCertificateValidation = pinServer,
        });
        var ok = await h.Channel.UnaryAsync(TestService.UnaryCall, new SimpleRequest { ResponseSize = 2 });
        using var anonymous = new GrpcChannel(new GrpcChannelOptions { Address = h.Server.Address, ServerCertificateValidation = pinServer });
        var refused = await Assert.ThrowsAsync<RpcException>(() => anonymous.UnaryAsync(TestService.UnaryCall, new SimpleRequest()));

        Assert.Equal("https", h.Server.Address.Scheme);
        Assert.Equal(2, ok.Payload.Length);
        Assert.Equal(GrpcStatusCode.Unavailable, refused.StatusCode);
    }

    private static X509Certificate2 SelfSigned(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // Reload through PKCS#12 so the private key is usable by SslStream.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }
}
