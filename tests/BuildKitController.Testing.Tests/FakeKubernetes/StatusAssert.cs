namespace BuildKitController.Testing.Tests.FakeKubernetes;

/// <summary>Asserts the metav1.Status shape of error responses.</summary>
internal static class StatusAssert
{
    public static void Failure(ApiResponse response, int code, string reason, string messagePrefix)
    {
        Assert.True((int)response.Status == code, response.ToString());
        Assert.Equal("Status", response.Text("kind"));
        Assert.Equal("v1", response.Text("apiVersion"));
        Assert.Equal("{}", response.Text("metadata"));
        Assert.Equal("Failure", response.Text("status"));
        Assert.Equal(reason, response.Text("reason"));
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Text("code"));
        Assert.StartsWith(messagePrefix, response.Text("message"), StringComparison.Ordinal);
        Assert.Equal("application/json", response.Message.Content.Headers.ContentType?.MediaType);
    }
}
