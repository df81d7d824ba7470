using BuildKitController.Core.Api.V1Alpha1.Defaulting;

namespace BuildKitController.Core.Api.V1Alpha1.Validation;

/// <summary>
/// Validates pools beyond what the CRD schema can express: ranges and cross-field rules (<c>min ≤ max</c>,
/// <c>tokenTTL ≤ maxTokenTTL</c>), Go durations, cron schedules, host names, quantities, enum values and ports.
/// Pure; never throws for bad input.
/// </summary>
public static class BuildKitPoolValidator
{
    /// <summary>Longest pool name: worker names (<c>&lt;pool&gt;-worker-xxxxx</c>) must fit a 63-character label.</summary>
    public const int MaxPoolNameLength = 50;

    /// <summary>
    /// Validates a pool as the controller will run it: the name, then the spec after defaulting (so a <c>min</c>
    /// above the default <c>max</c> is caught).
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(BuildKitPool pool, PoolDefaultingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var errors = new FieldErrors();
        var name = pool.Metadata.Name;
        if (!string.IsNullOrEmpty(name))
        {
            if (!NameFormats.IsDns1035Label(name))
            {
                errors.Add("metadata.name", $"\"{name}\" must be an RFC 1035 label (lower-case letter first, then a-z, 0-9 or '-'), as it names the gateway Service");
            }
            else if (name.Length > MaxPoolNameLength)
            {
                errors.Add("metadata.name", $"must be at most {MaxPoolNameLength} characters so worker names fit in 63, got {name.Length}");
            }
        }

        ValidateSpec(BuildKitPoolDefaulter.Apply(pool.Spec, options), "spec", errors);
        return errors.Errors;
    }

    /// <summary>Validates a spec as given (unset fields are not checked).</summary>
    public static IReadOnlyList<FieldError> ValidateSpec(BuildKitPoolSpec spec, string path = "spec")
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = new FieldErrors();
        ValidateSpec(spec, path, errors);
        return errors.Errors;
    }

    private static void ValidateSpec(BuildKitPoolSpec spec, string path, FieldErrors errors)
    {
        if (spec.Scaling is { } scaling)
        {
            ValidateScaling(scaling, $"{path}.scaling", errors);
        }

        if (spec.Resources is { } resources)
        {
            errors.Enum($"{path}.resources.size", resources.Size, ResourceSizes.All);
            errors.Resources($"{path}.resources.buildkit", resources.Buildkit);
            errors.Resources($"{path}.resources.sidecar", resources.Sidecar);
        }

        if (spec.Cache is { } cache)
        {
            ValidateCache(cache, $"{path}.cache", errors);
        }

        if (spec.Tls is { } tls)
        {
            ValidateTls(tls, $"{path}.tls", errors);
        }

        if (spec.Auth is { } auth)
        {
            ValidateAuth(auth, $"{path}.auth", errors);
        }

        if (spec.Networking is { } networking)
        {
            ValidateNetworking(networking, $"{path}.networking", errors);
        }

        if (spec.Observability?.Metrics is { } metrics)
        {
            errors.Port($"{path}.observability.metrics.port", metrics.Port);
        }

        if (spec.Gateway is { } gateway)
        {
            ValidateGateway(gateway, $"{path}.gateway", errors);
        }

        if (spec.Worker is { } worker)
        {
            ValidateWorker(worker, $"{path}.worker", errors);
        }

        if (spec.BuildkitImage is { } buildkitImage)
        {
            ValidateImage($"{path}.buildkitImage", buildkitImage, errors);
        }

        if (spec.GatewayImage is { } gatewayImage)
        {
            ValidateImage($"{path}.gatewayImage", gatewayImage, errors);
        }
    }

    private static void ValidateScaling(ScalingConfig scaling, string path, FieldErrors errors)
    {
        errors.Enum($"{path}.mode", scaling.Mode, ScalingModes.All);
        errors.Range($"{path}.min", scaling.Min, 0, int.MaxValue);
        errors.Range($"{path}.max", scaling.Max, 1, int.MaxValue);
        if (scaling is { Min: { } min, Max: { } max } && min >= 0 && max >= 1 && min > max)
        {
            errors.Add($"{path}.min", $"must be less than or equal to max ({max}), got {min}");
        }

        errors.PositiveDuration($"{path}.scaleDownDelay", scaling.ScaleDownDelay);
        errors.Range($"{path}.targetCPUUtilization", scaling.TargetCpuUtilization, 1, 100);
        errors.Range($"{path}.targetMemoryUtilization", scaling.TargetMemoryUtilization, 1, 100);
        errors.Range($"{path}.targetActiveConnections", scaling.TargetActiveConnections, 1, int.MaxValue);
        errors.Cron($"{path}.scaleDownSchedule", scaling.ScaleDownSchedule);
    }

    private static void ValidateCache(CacheConfig cache, string path, FieldErrors errors)
    {
        for (var i = 0; i < (cache.Backends?.Count ?? 0); i++)
        {
            var backend = cache.Backends![i];
            var at = $"{path}.backends[{i}]";
            if (string.IsNullOrEmpty(backend.Type))
            {
                errors.Add($"{at}.type", "is required");
            }
            else
            {
                errors.Enum($"{at}.type", backend.Type, CacheBackendTypes.All);
            }

            if (backend.Type == CacheBackendTypes.Registry && backend.Registry is null)
            {
                errors.Add($"{at}.registry", "is required for a registry backend");
            }

            if (backend.Type == CacheBackendTypes.S3 && backend.S3 is null)
            {
                errors.Add($"{at}.s3", "is required for an s3 backend");
            }

            if (backend.Type == CacheBackendTypes.Local && backend.Local is null)
            {
                errors.Add($"{at}.local", "is required for a local backend");
            }

            if (backend.Registry is { } registry)
            {
                errors.Required($"{at}.registry.endpoint", registry.Endpoint);
                errors.Subdomain($"{at}.registry.credentialsSecret", registry.CredentialsSecret);
            }

            if (backend.S3 is { } s3)
            {
                errors.Required($"{at}.s3.bucket", s3.Bucket);
                errors.Required($"{at}.s3.region", s3.Region);
                errors.Subdomain($"{at}.s3.credentialsSecret", s3.CredentialsSecret);
            }

            if (backend.Local is { } local)
            {
                errors.Required($"{at}.local.storageClass", local.StorageClass);
                errors.Subdomain($"{at}.local.storageClass", local.StorageClass);
                if (string.IsNullOrEmpty(local.Size))
                {
                    errors.Add($"{at}.local.size", "is required");
                }
                else if (errors.Quantity($"{at}.local.size", local.Size) is 0)
                {
                    errors.Add($"{at}.local.size", "must be greater than zero");
                }
            }
        }

        if (cache.Gc is { } gc)
        {
            errors.Cron($"{path}.gc.schedule", gc.Schedule);
            if (!string.IsNullOrEmpty(gc.KeepDuration) && !long.TryParse(gc.KeepDuration, out _))
            {
                errors.PositiveDuration($"{path}.gc.keepDuration", gc.KeepDuration);
            }
        }
    }

    private static void ValidateTls(TlsConfig tls, string path, FieldErrors errors)
    {
        errors.Enum($"{path}.mode", tls.Mode, TlsModes.All);
        if (tls.Mode == TlsModes.Manual && tls.Manual is null)
        {
            errors.Add($"{path}.manual", "is required when mode is manual");
        }

        if (tls.Manual is { } manual)
        {
            errors.Required($"{path}.manual.serverCertSecret", manual.ServerCertSecret);
            errors.Subdomain($"{path}.manual.serverCertSecret", manual.ServerCertSecret);
            errors.Required($"{path}.manual.caSecret", manual.CaSecret);
            errors.Subdomain($"{path}.manual.caSecret", manual.CaSecret);
        }

        if (tls.Auto is { } auto)
        {
            var lifetime = errors.PositiveDuration($"{path}.auto.serverCertDuration", auto.ServerCertDuration);
            var rotate = errors.PositiveDuration($"{path}.auto.rotateBeforeExpiry", auto.RotateBeforeExpiry);
            if (lifetime is { } l && rotate is { } r && r >= l)
            {
                errors.Add($"{path}.auto.rotateBeforeExpiry", $"must be shorter than serverCertDuration ({auto.ServerCertDuration}), got {auto.RotateBeforeExpiry}");
            }
        }
    }

    private static void ValidateAuth(AuthConfig auth, string path, FieldErrors errors)
    {
        for (var i = 0; i < (auth.Methods?.Count ?? 0); i++)
        {
            var method = auth.Methods![i];
            var at = $"{path}.methods[{i}]";
            if (string.IsNullOrEmpty(method.Type))
            {
                errors.Add($"{at}.type", "is required");
            }
            else
            {
                errors.Enum($"{at}.type", method.Type, AuthMethodTypes.All);
            }

            if (method.Type == AuthMethodTypes.Token && method.Token is null)
            {
                errors.Add($"{at}.token", "is required for a token method");
            }

            if (method.Type == AuthMethodTypes.Oidc && method.Oidc is null)
            {
                errors.Add($"{at}.oidc", "is required for an oidc method");
            }

            if (method.Mtls is { } mtls)
            {
                errors.Subdomain($"{at}.mtls.clientCASecret", mtls.ClientCaSecret);
            }

            if (method.Token is { } token)
            {
                errors.Required($"{at}.token.secretRef", token.SecretRef);
                errors.Subdomain($"{at}.token.secretRef", token.SecretRef);
            }

            if (method.Oidc is { } oidc)
            {
                errors.IssuerUrl($"{at}.oidc.issuer", oidc.Issuer);
                errors.Required($"{at}.oidc.audience", oidc.Audience);
            }
        }

        for (var i = 0; i < (auth.Rbac?.Rules?.Count ?? 0); i++)
        {
            var rule = auth.Rbac!.Rules![i];
            var at = $"{path}.rbac.rules[{i}]";
            CheckPatterns($"{at}.users", rule.Users);
            CheckPatterns($"{at}.pools", rule.Pools);
            foreach (var (claim, pattern) in rule.Claims ?? new Dictionary<string, string>())
            {
                if (!IsClaimName(claim))
                {
                    errors.Add($"{at}.claims[{claim}]", "claim names are 1 to 128 characters of letters, digits, '_', '-', '.', ':' or '/'");
                }
                else if (string.IsNullOrEmpty(pattern))
                {
                    errors.Add($"{at}.claims[{claim}]", "must not be empty (use \"*\" to require only that the claim is present)");
                }
            }
        }

        static bool IsClaimName(string name) =>
            name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '/');

        void CheckPatterns(string at, List<string>? patterns)
        {
            if (patterns is null || patterns.Count == 0)
            {
                errors.Add(at, "must list at least one pattern");
                return;
            }

            for (var j = 0; j < patterns.Count; j++)
            {
                if (string.IsNullOrEmpty(patterns[j]))
                {
                    errors.Add($"{at}[{j}]", "must not be empty");
                }
            }
        }
    }

    private static void ValidateNetworking(NetworkingConfig networking, string path, FieldErrors errors)
    {
        errors.Enum($"{path}.serviceType", networking.ServiceType, ServiceTypes.All);
        errors.Port($"{path}.port", networking.Port);
        for (var i = 0; i < (networking.AllowedCidrs?.Count ?? 0); i++)
        {
            if (!NameFormats.IsCidr(networking.AllowedCidrs![i]))
            {
                errors.Add($"{path}.allowedCIDRs[{i}]", $"\"{networking.AllowedCidrs[i]}\" is not a CIDR block (e.g. 10.0.0.0/8)");
            }
        }

        errors.AnnotationMap($"{path}.annotations", networking.Annotations);
        if (networking.External is { } external)
        {
            errors.Hostname($"{path}.external.hostname", external.Hostname, allowWildcard: false, allowIP: true);
            if (external.Enabled == true && string.IsNullOrEmpty(external.Hostname))
            {
                errors.Add($"{path}.external.hostname", "is required when external access is enabled");
            }

            errors.AnnotationMap($"{path}.external.annotations", external.Annotations);
        }
    }

    private static void ValidateGateway(GatewayConfig gateway, string path, FieldErrors errors)
    {
        errors.Range($"{path}.replicas", gateway.Replicas, 1, int.MaxValue);
        if (gateway.Resources is { } resources)
        {
            errors.Quantity($"{path}.resources.cpu", resources.Cpu);
            errors.Quantity($"{path}.resources.memory", resources.Memory);
        }

        var ttl = errors.PositiveDuration($"{path}.tokenTTL", gateway.TokenTtl);
        var maxTtl = errors.PositiveDuration($"{path}.maxTokenTTL", gateway.MaxTokenTtl);
        if (ttl is { } t && maxTtl is { } m && t > m)
        {
            errors.Add($"{path}.tokenTTL", $"must not exceed maxTokenTTL ({gateway.MaxTokenTtl}), got {gateway.TokenTtl}");
        }

        errors.Enum($"{path}.serviceType", gateway.ServiceType, ServiceTypes.All);
        errors.Port($"{path}.port", gateway.Port);
        errors.Range($"{path}.nodePort", gateway.NodePort, 30000, 32767);
        if (gateway.GatewayApi is { } gatewayApi)
        {
            var at = $"{path}.gatewayAPI";
            errors.Hostname($"{at}.hostname", gatewayApi.Hostname, allowWildcard: true, allowIP: false);
            if (gatewayApi.Enabled == true && string.IsNullOrEmpty(gatewayApi.Hostname))
            {
                errors.Add($"{at}.hostname", "is required when gatewayAPI is enabled");
            }

            errors.Subdomain($"{at}.gatewayName", gatewayApi.GatewayName);
            errors.Subdomain($"{at}.gatewayClassName", gatewayApi.GatewayClassName);
            if (gatewayApi.GatewayRef is { } gatewayRef)
            {
                errors.Required($"{at}.gatewayRef.name", gatewayRef.Name);
                errors.Subdomain($"{at}.gatewayRef.name", gatewayRef.Name);
                errors.Label($"{at}.gatewayRef.namespace", gatewayRef.Namespace);
            }

            if (gatewayApi.Tls is { } tls)
            {
                errors.Enum($"{at}.tls.mode", tls.Mode, GatewayApiTlsModes.All);
                errors.Subdomain($"{at}.tls.secretName", tls.SecretName);
                errors.Label($"{at}.tls.secretNamespace", tls.SecretNamespace);
            }

            errors.AnnotationMap($"{at}.annotations", gatewayApi.Annotations);
        }

        if (gateway.Ingress is { } ingress)
        {
            var at = $"{path}.ingress";
            errors.Hostname($"{at}.hostname", ingress.Hostname, allowWildcard: true, allowIP: false);
            if (ingress.Enabled == true && string.IsNullOrEmpty(ingress.Hostname))
            {
                errors.Add($"{at}.hostname", "is required when ingress is enabled");
            }

            errors.Subdomain($"{at}.ingressClassName", ingress.IngressClassName);
            if (ingress.Tls is { } tls)
            {
                errors.Subdomain($"{at}.tls.secretName", tls.SecretName);
                if (tls.Enabled == true && string.IsNullOrEmpty(tls.SecretName))
                {
                    errors.Add($"{at}.tls.secretName", "is required when ingress TLS is enabled");
                }
            }

            errors.AnnotationMap($"{at}.annotations", ingress.Annotations);
        }
    }

    private static void ValidateWorker(WorkerConfig worker, string path, FieldErrors errors)
    {
        errors.Enum($"{path}.securityProfile", worker.SecurityProfile, SecurityProfiles.All);
        errors.LabelMap($"{path}.nodeSelector", worker.NodeSelector);
        errors.Tolerations($"{path}.tolerations", worker.Tolerations);
        errors.JsonObject($"{path}.affinity", worker.Affinity);
        for (var i = 0; i < (worker.TopologySpreadConstraints?.Count ?? 0); i++)
        {
            errors.JsonObject($"{path}.topologySpreadConstraints[{i}]", worker.TopologySpreadConstraints![i]);
        }

        errors.Subdomain($"{path}.priorityClassName", worker.PriorityClassName);
        errors.Subdomain($"{path}.runtimeClassName", worker.RuntimeClassName);
        for (var i = 0; i < (worker.ImagePullSecrets?.Count ?? 0); i++)
        {
            var name = worker.ImagePullSecrets![i].Name;
            errors.Required($"{path}.imagePullSecrets[{i}].name", name);
            errors.Subdomain($"{path}.imagePullSecrets[{i}].name", name);
        }

        errors.LabelMap($"{path}.podLabels", worker.PodLabels);
        errors.AnnotationMap($"{path}.podAnnotations", worker.PodAnnotations);
    }

    private static void ValidateImage(string path, string image, FieldErrors errors)
    {
        if (image.Length == 0 || image.Any(char.IsWhiteSpace))
        {
            errors.Add(path, $"\"{image}\" is not an image reference");
        }
    }
}
