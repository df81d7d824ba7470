using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Pki;
using BuildKitController.Operator.Api;
using BuildKitController.Operator.Hosting;
using BuildKitController.Testing.Logging;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BuildKitController.Operator.Tests.Api;

public sealed class ApiServerTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly CertificateAuthority _ca = CertificateAuthority.Create("api test CA", Now.AddDays(-1), TimeSpan.FromDays(30));
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("api-tls-");

    public void Dispose()
    {
        _ca.Dispose();
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task Plain_http_is_served_as_http_1_1_without_a_warning_at_start()
    {
        var logs = new RecordingLoggerFactory();
        await using var server = await StartAsync(tls: null, logs);
        using var http = new HttpClient { BaseAddress = server.Address };

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionOrLower }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Equal("HTTP/1.1", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Tls_serves_the_certificate_from_the_files_and_negotiates_http_2()
    {
        var issued = WriteCertificate();
        await using var server = await StartAsync(new ApiTlsFiles(CertificatePath, KeyPath));
        using var http = TrustingClient(server.Address!, out var presented);

        using var response = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("HTTP/2", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(issued.SerialNumber, presented.Single());
    }

    [Fact]
    public async Task Rotated_files_are_served_from_the_next_connection_on()
    {
        var first = WriteCertificate();
        await using var server = await StartAsync(new ApiTlsFiles(CertificatePath, KeyPath));
        var presented = await HandshakeSerialAsync(server.Address!);
        Assert.Equal(first.SerialNumber, presented);

        var second = WriteCertificate(modified: Now.AddMinutes(1));

        Assert.Equal(second.SerialNumber, await HandshakeSerialAsync(server.Address!));
    }

    [Fact]
    public void A_half_written_rotation_keeps_the_previous_certificate_until_the_files_change_again()
    {
        var first = WriteCertificate();
        var files = new ApiTlsFiles(CertificatePath, KeyPath, NullLogger.Instance);
        Assert.Equal(first.SerialNumber, files.Current().SerialNumber);

        // The new certificate has arrived, its key not yet: the pair does not match.
        var next = CertificateIssuer.Issue(_ca, Spec(), Now);
        File.WriteAllText(CertificatePath, next.CertificatePem);
        File.SetLastWriteTimeUtc(CertificatePath, Now.AddMinutes(1).UtcDateTime);
        Assert.Equal(first.SerialNumber, files.Current().SerialNumber);

        File.WriteAllText(KeyPath, next.KeyPem);
        File.SetLastWriteTimeUtc(KeyPath, Now.AddMinutes(2).UtcDateTime);
        Assert.Equal(next.SerialNumber, files.Current().SerialNumber);
    }

    [Fact]
    public void Files_that_never_loaded_are_an_error()
    {
        File.WriteAllText(CertificatePath, "not a certificate");
        File.WriteAllText(KeyPath, "not a key");

        Assert.ThrowsAny<Exception>(() => new ApiTlsFiles(CertificatePath, KeyPath).Current());
    }

    private string CertificatePath => Path.Combine(_files.FullName, "tls.crt");

    private string KeyPath => Path.Combine(_files.FullName, "tls.key");

    private static CertificateRequestSpec Spec() => new()
    {
        CommonName = "localhost",
        Profile = CertificateProfile.Server,
        Lifetime = TimeSpan.FromDays(1),
        DnsNames = ["localhost"],
        IpAddresses = [IPAddress.Loopback],
    };

    private IssuedCertificate WriteCertificate(DateTimeOffset? modified = null)
    {
        var issued = CertificateIssuer.Issue(_ca, Spec(), Now);
        File.WriteAllText(CertificatePath, issued.CertificatePem);
        File.WriteAllText(KeyPath, issued.KeyPem);
        var stamp = (modified ?? Now).UtcDateTime;
        File.SetLastWriteTimeUtc(CertificatePath, stamp);
        File.SetLastWriteTimeUtc(KeyPath, stamp);
        return issued;
    }

    private HttpClient TrustingClient(Uri address, out List<string> presented)
    {
        var serials = new List<string>();
        presented = serials;
        var ca = _ca.Certificate;
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    serials.Add(((X509Certificate2)certificate!).SerialNumber);
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && chain.Build((X509Certificate2)certificate);
                },
            },
        };
        return new HttpClient(handler) { BaseAddress = address };
    }

    private async Task<string> HandshakeSerialAsync(Uri address)
    {
        using var http = TrustingClient(address, out var presented);
        using var response = await http.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return presented.Single();
    }

    private static async Task<ApiServer> StartAsync(ApiTlsFiles? tls, ILoggerFactory? logs = null)
    {
        var server = ApiServer.Create(BindAddress.Parse("127.0.0.1:0"), tls, new ApiOptions(),
            context => context.Response.WriteAsync(context.Request.Protocol, context.RequestAborted), logs ?? NullLoggerFactory.Instance);
        await server.StartAsync(TestContext.Current.CancellationToken);
        return server;
    }
}
