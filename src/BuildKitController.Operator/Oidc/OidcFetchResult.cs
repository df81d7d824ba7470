namespace BuildKitController.Operator.Oidc;

/// <summary>A fetched document, or why it could not be fetched (a sentence fit for a status message).</summary>
internal readonly record struct OidcFetchResult<T>(T? Value, string? Error)
    where T : class
{
    public static OidcFetchResult<T> Ok(T value) => new(value, null);

    public static OidcFetchResult<T> Failed(string error) => new(null, error);
}
