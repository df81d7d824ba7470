namespace BuildKitController.Testing.Oidc;

/// <summary>How <see cref="TestOidcIssuer.CreateToken"/> damages a token after signing it.</summary>
public enum TestTokenTampering
{
    /// <summary>A well-formed, correctly signed token.</summary>
    None,

    /// <summary>One bit of the signature flipped.</summary>
    FlipSignatureBit,

    /// <summary>The payload rewritten after signing (<c>sub</c> gets a <c>-forged</c> suffix and a <c>forged: true</c> claim is added), the original signature kept.</summary>
    ModifyPayload,
}
