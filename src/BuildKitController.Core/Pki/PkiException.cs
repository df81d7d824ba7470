namespace BuildKitController.Core.Pki;

/// <summary>Certificate material is malformed, mismatched or unusable.</summary>
public sealed class PkiException : Exception
{
    public PkiException()
    {
    }

    public PkiException(string message)
        : base(message)
    {
    }

    public PkiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
