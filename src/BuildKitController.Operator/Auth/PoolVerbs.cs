namespace BuildKitController.Operator.Auth;

/// <summary>What a caller wants to do with a pool (the argument of <see cref="IPoolAuthorizer.AuthorizeAsync"/>).</summary>
internal static class PoolVerbs
{
    public const string Allocate = "allocate";
    public const string Release = "release";
    public const string Renew = "renew";
    public const string Certificates = "certs";
    public const string Wake = "wake";
    public const string Get = "get";
    public const string List = "list";
    public const string Lookup = "lookup";

    public static IReadOnlyList<string> All { get; } = [Allocate, Release, Renew, Certificates, Wake, Get, List, Lookup];
}
