using System.Globalization;

namespace BuildKitController.Testing.FakeKubernetes.Json;

/// <summary>metav1.Time formatting: RFC 3339 in UTC with whole seconds.</summary>
internal static class KubeTime
{
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
