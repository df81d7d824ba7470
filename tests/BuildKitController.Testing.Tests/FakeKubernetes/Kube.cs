using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace BuildKitController.Testing.Tests.FakeKubernetes;

/// <summary>A raw REST client over TLS for tests of the fake server (no product code involved).</summary>
internal sealed class Kube(HttpClient client) : IDisposable
{
    public HttpClient Http => client;

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null, null);

    public Task<ApiResponse> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body.ToJsonString(), "application/json");

    public Task<ApiResponse> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body.ToJsonString(), "application/json");

    public Task<ApiResponse> PatchAsync(string path, string contentType, string body) => SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<ApiResponse> ApplyAsync(string path, string body, string fieldManager, bool force = false) =>
        PatchAsync($"{path}?fieldManager={fieldManager}{(force ? "&force=true" : "")}", "application/apply-patch+yaml", body);

    public Task<ApiResponse> DeleteAsync(string path, JsonNode? options = null) =>
        SendAsync(HttpMethod.Delete, path, options?.ToJsonString(), options is null ? null : "application/json");

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? body, string? contentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) : null;
        return new ApiResponse(response.StatusCode, json, response);
    }

    /// <summary>Creates an object and asserts 201.</summary>
    public async Task<JsonObject> CreateAsync(string collectionPath, JsonObject body)
    {
        var response = await PostAsync(collectionPath, body);
        Assert.True(response.Status == System.Net.HttpStatusCode.Created, response.ToString());
        return response.Object;
    }

    public async Task<WatchStream> WatchAsync(string pathAndQuery)
    {
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        headers.CancelAfter(TimeSpan.FromSeconds(10));
        var response = await client.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead, headers.Token);
        return new WatchStream(response, await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
    }

    public void Dispose() => client.Dispose();
}
