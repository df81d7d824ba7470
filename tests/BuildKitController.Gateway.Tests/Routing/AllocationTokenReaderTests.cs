using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BuildKitController.Core.Allocation;
using BuildKitController.Gateway.Routing;

namespace BuildKitController.Gateway.Tests.Routing;

public sealed class AllocationTokenReaderTests
{
    private static X509Certificate2 Certificate(string subject, params string[] uris)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (uris.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var uri in uris)
            {
                san.AddUri(new Uri(uri));
            }

            san.AddDnsName("example.test");
            request.CertificateExtensions.Add(san.Build());
        }

        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
    }

    [Fact]
    public void Reads_the_token_from_the_common_name_the_uri_san_or_both_when_they_agree()
    {
        var token = AllocationToken.Create();
        using var both = Certificate($"CN=alloc:{token}, O=BuildKit Client", $"buildkit://allocation/{token}");
        using var cn = Certificate($"CN=alloc:{token}");
        using var uri = Certificate("CN=someone", $"buildkit://allocation/{token}");
        Assert.Equal(token, AllocationTokenReader.Read(both));
        Assert.Equal(token, AllocationTokenReader.Read(cn));
        Assert.Equal(token, AllocationTokenReader.Read(uri));
    }

    [Fact]
    public void Carries_no_token_when_names_are_missing_malformed_or_disagree()
    {
        var (a, b) = (AllocationToken.Create(), AllocationToken.Create());
        using var disagree = Certificate($"CN=alloc:{a}", $"buildkit://allocation/{b}");
        using var none = Certificate("CN=someone");
        using var emptyPath = Certificate("CN=someone", "buildkit://allocation/");
        using var badAlphabet = Certificate("CN=alloc:not a token at all!!");
        using var otherScheme = Certificate("CN=someone", $"https://allocation/{a}");
        Assert.Null(AllocationTokenReader.Read(disagree));
        Assert.Null(AllocationTokenReader.Read(none));
        Assert.Null(AllocationTokenReader.Read(emptyPath));
        Assert.Null(AllocationTokenReader.Read(badAlphabet));
        Assert.Null(AllocationTokenReader.Read(otherScheme));
        Assert.Null(AllocationTokenReader.Read(null));
    }
}
