namespace BuildKitController.Core.Api.V1Alpha1.Validation;

/// <summary>Validates OIDC configs: issuer URL, audience, claim names and the client secret reference.</summary>
public static class BuildKitOIDCConfigValidator
{
    public static IReadOnlyList<FieldError> Validate(BuildKitOIDCConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new FieldErrors();
        var spec = config.Spec;
        errors.IssuerUrl("spec.issuer", spec.Issuer);
        errors.Required("spec.audience", spec.Audience);
        if (spec.ClaimsMapping is { User: { Length: 0 } })
        {
            errors.Add("spec.claimsMapping.user", "must not be empty (omit it to use sub)");
        }

        if (spec.ClientSecretRef is { } secretRef)
        {
            errors.Required("spec.clientSecretRef.name", secretRef.Name);
            errors.Subdomain("spec.clientSecretRef.name", secretRef.Name);
            errors.Label("spec.clientSecretRef.namespace", secretRef.Namespace);
        }

        return errors.Errors;
    }
}
