using System.Text.Json;
using BuildKitController.Core.Api.V1Alpha1;
using BuildKitController.Core.Api.V1Alpha1.Validation;
using BuildKitController.Core.Serialization;

namespace BuildKitController.Core.Tests.Api.V1Alpha1.Validation;

public sealed class BuildKitOIDCConfigValidatorTests
{
    [Theory]
    [InlineData("""{"spec":{"issuer":"https://token.actions.githubusercontent.com","audience":"buildkit-controller"}}""")]
    [InlineData("""{"spec":{"issuer":"https://gitlab.example.com/","audience":"a","claimsMapping":{"user":"user_login"},"clientSecretRef":{"name":"oidc","key":"secret"}}}""")]
    [InlineData("""{"spec":{"issuer":"http://localhost:8888","audience":"a"}}""")]
    public void Valid_configs_pass(string json)
    {
        Assert.Empty(BuildKitOIDCConfigValidator.Validate(Config(json)));
    }

    [Theory]
    [InlineData("""{"spec":{"audience":"a"}}""", "spec.issuer")]
    [InlineData("""{"spec":{"issuer":"token.actions.githubusercontent.com","audience":"a"}}""", "spec.issuer")]
    [InlineData("""{"spec":{"issuer":"http://issuer.example.com","audience":"a"}}""", "spec.issuer")]
    [InlineData("""{"spec":{"issuer":"https://issuer.example.com?x=1","audience":"a"}}""", "spec.issuer")]
    [InlineData("""{"spec":{"issuer":"https://i"}}""", "spec.audience")]
    [InlineData("""{"spec":{"issuer":"https://i","audience":"a","claimsMapping":{"user":""}}}""", "spec.claimsMapping.user")]
    [InlineData("""{"spec":{"issuer":"https://i","audience":"a","clientSecretRef":{"name":""}}}""", "spec.clientSecretRef.name")]
    [InlineData("""{"spec":{"issuer":"https://i","audience":"a","clientSecretRef":{"name":"s","namespace":"NS"}}}""", "spec.clientSecretRef.namespace")]
    public void Invalid_fields_are_reported(string json, string path)
    {
        Assert.Contains(BuildKitOIDCConfigValidator.Validate(Config(json)), e => e.Path == path);
    }

    private static BuildKitOIDCConfig Config(string json) => JsonSerializer.Deserialize(json, CoreJsonContext.Default.BuildKitOIDCConfig)!;
}
