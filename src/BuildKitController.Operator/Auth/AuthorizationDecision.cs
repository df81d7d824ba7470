namespace BuildKitController.Operator.Auth;

/// <summary>Whether the caller may do the verb on the pool, and why (a sentence safe to return to the caller).</summary>
internal sealed record AuthorizationDecision(bool Allowed, string Reason)
{
    /// <summary>Denied only because a SubjectAccessReview could not be made: answer 503 rather than 403.</summary>
    public bool IsTransient { get; init; }

    public static AuthorizationDecision Allow(string reason) => new(true, reason);

    public static AuthorizationDecision Deny(string reason) => new(false, reason);
}
