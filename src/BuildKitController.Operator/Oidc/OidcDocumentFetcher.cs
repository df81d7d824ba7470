using System.Security.Authentication;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace BuildKitController.Operator.Oidc;

/// <summary>
/// GETs a JSON document from an issuer with a deadline and a size cap, and decodes it with source-generated
/// metadata. Every failure (unreachable host, TLS, non-2xx, timeout, oversized or malformed body) becomes an
/// error sentence rather than an exception, naming the URL without any user-info part.
/// </summary>
/// <remarks>
/// The deadline is a network deadline on the real clock (like the controller's reconcile timeout), not on the
/// injected <see cref="TimeProvider"/>: a test's manual clock must not cancel requests in flight.
/// </remarks>
internal sealed class OidcDocumentFetcher(HttpClient http, TimeSpan timeout, long maxResponseBytes)
{
    public async Task<OidcFetchResult<T>> GetAsync<T>(Uri url, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(url);
        var display = Display(url);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return OidcFetchResult<T>.Failed($"HTTP {(int)response.StatusCode} from {display}");
            }

            if (response.Content.Headers.ContentLength > maxResponseBytes)
            {
                return OidcFetchResult<T>.Failed($"response from {display} is larger than {maxResponseBytes} bytes");
            }

            var body = await ReadCappedAsync(response.Content, deadline.Token);
            if (body is null)
            {
                return OidcFetchResult<T>.Failed($"response from {display} is larger than {maxResponseBytes} bytes");
            }

            try
            {
                return JsonSerializer.Deserialize(body, typeInfo) is { } value
                    ? OidcFetchResult<T>.Ok(value)
                    : OidcFetchResult<T>.Failed($"response from {display} is JSON null");
            }
            catch (JsonException ex)
            {
                return OidcFetchResult<T>.Failed($"response from {display} is not a valid document: {ex.Message}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return OidcFetchResult<T>.Failed($"no response from {display} within {timeout.TotalSeconds:0.###}s");
        }
        catch (HttpRequestException ex)
        {
            return OidcFetchResult<T>.Failed($"cannot reach {display}: {Describe(ex)}");
        }
        catch (IOException ex)
        {
            return OidcFetchResult<T>.Failed($"reading the response from {display} failed: {ex.Message}");
        }
    }

    /// <summary>The URL without user-info (never shown in status or logs).</summary>
    public static string Display(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
    }

    private static string Describe(HttpRequestException ex) => ex.InnerException is AuthenticationException tls
        ? $"TLS handshake failed: {tls.Message}"
        : ex.Message;

    /// <summary>The body, or null when it exceeds the cap (read at most one byte past it).</summary>
    private async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > maxResponseBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }
    }
}
