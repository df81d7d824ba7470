using BuildKitController.Testing.FakeKubernetes.Api;
using BuildKitController.Testing.FakeKubernetes.Registry;
using BuildKitController.Testing.FakeKubernetes.Security;
using Microsoft.AspNetCore.Http;

namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>
/// The request pipeline: logging, authentication, fault injection, then discovery or the resource handlers.
/// Every failure becomes a Status response; nothing escapes to crash the server.
/// </summary>
internal sealed class ApiPipeline(
    Authenticator authenticator,
    FaultInjector faults,
    RequestLog log,
    ResourceRegistry registry,
    ResourceEndpoints resources,
    TimeProvider time,
    string gitVersion)
{
    private static readonly string[] PublicPaths = ["/healthz", "/livez", "/readyz", "/version"];

    public async Task InvokeAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var request = context.Request;
        var logged = 0;
        string? userName = null;
        void Log(int status)
        {
            if (Interlocked.Exchange(ref logged, 1) == 0)
            {
                log.Add(new RequestLogEntry(request.Method, $"{request.Path}{request.QueryString}", request.ContentType,
                    request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null, status, userName));
            }
        }

        context.Response.OnStarting(() =>
        {
            Log(context.Response.StatusCode);
            return Task.CompletedTask;
        });
        try
        {
            var info = RequestRouter.Parse(request.Method, request.Path.Value ?? "/", QueryParameters.IsWatch(request.Query));
            var user = authenticator.Authenticate(context, out var invalidCredentials);
            userName = user?.Name;
            if (user is null && (invalidCredentials || !IsPublic(info.Path)))
            {
                throw ApiErrors.Unauthorized();
            }

            foreach (var rule in faults.Evaluate(info.ToFaultRequest(request.Method)))
            {
                switch (rule.Kind)
                {
                    case FaultKind.Hold:
                        await rule.Gate!.EnterAsync(cancellationToken);
                        break;
                    case FaultKind.Delay:
                        await Task.Delay(rule.Delay, time, cancellationToken);
                        break;
                    case FaultKind.CloseConnection:
                        context.Abort();
                        return;
                    default:
                        throw FaultResponses.Create(rule, info, registry);
                }
            }

            if (info.IsResourceRequest)
            {
                await resources.HandleAsync(context, info, cancellationToken);
            }
            else
            {
                await DiscoveryAsync(context, info, cancellationToken);
            }
        }
        catch (ApiException e)
        {
            if (!context.Response.HasStarted)
            {
                await ResponseWriter.WriteStatusAsync(context, e, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!context.Response.HasStarted)
            {
                await ResponseWriter.WriteStatusAsync(context, ApiErrors.Generic(500, $"Internal error occurred: {e.Message}"), cancellationToken);
            }
        }
        finally
        {
            if (!context.Response.HasStarted)
            {
                Log(0);
            }
        }
    }

    private static bool IsPublic(string path) =>
        PublicPaths.Any(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal));

    private async Task DiscoveryAsync(HttpContext context, RequestInfo info, CancellationToken cancellationToken)
    {
        if (context.Request.Method is not ("GET" or "HEAD"))
        {
            throw new ApiException(405, Kubernetes.Models.StatusReasons.MethodNotAllowed, "the server does not allow this method on the requested resource");
        }

        var path = info.Path.TrimEnd('/');
        if (path is "/healthz" or "/livez" or "/readyz" || path.StartsWith("/healthz/", StringComparison.Ordinal)
            || path.StartsWith("/livez/", StringComparison.Ordinal) || path.StartsWith("/readyz/", StringComparison.Ordinal))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("ok", cancellationToken);
            return;
        }

        var document = (path, info.ApiPrefix, info.Group, info.Version) switch
        {
            ("/version", _, _, _) => DiscoveryEndpoints.Version(gitVersion),
            (_, "api", _, null) => DiscoveryEndpoints.CoreVersions($"{context.Request.Host}"),
            (_, "api", _, { } version) => DiscoveryEndpoints.ResourceList("", version, registry),
            (_, "apis", null, _) => DiscoveryEndpoints.GroupList(registry),
            (_, "apis", { } group, null) => DiscoveryEndpoints.Group(group, registry),
            (_, "apis", { } group, { } version) => DiscoveryEndpoints.ResourceList(group, version, registry),
            _ => throw ApiErrors.ResourceNotFound(),
        };
        await ResponseWriter.WriteObjectAsync(context, 200, document, null, cancellationToken);
    }
}
