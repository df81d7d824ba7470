using System.Text.Json;
using BuildKitController.Core.Scheduling;
using BuildKitController.Core.Time;
using BuildKitController.Kubernetes.Models.CoreV1;

namespace BuildKitController.Core.Api.V1Alpha1.Validation;

/// <summary>Collects <see cref="FieldError"/>s, with the checks the validators share.</summary>
internal sealed class FieldErrors
{
    private static readonly string[] TolerationOperators = ["", "Exists", "Equal"];
    private static readonly string[] TaintEffects = ["", "NoSchedule", "PreferNoSchedule", "NoExecute"];

    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public void Add(string path, string message) => _errors.Add(new FieldError(path, message));

    public void Required(string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(path, "is required");
        }
    }

    public void Enum(string path, string? value, IReadOnlyList<string> allowed)
    {
        if (value is not null && !allowed.Contains(value))
        {
            Add(path, $"unsupported value \"{value}\": must be one of {string.Join(", ", allowed)}");
        }
    }

    public void Range(string path, int? value, int min, int max)
    {
        if (value is { } v && (v < min || v > max))
        {
            Add(path, max == int.MaxValue ? $"must be at least {min}, got {v}" : $"must be between {min} and {max}, got {v}");
        }
    }

    public void Port(string path, int? value) => Range(path, value, 1, 65535);

    /// <summary>A Go duration that is strictly positive; returns its value.</summary>
    public TimeSpan? PositiveDuration(string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!GoDuration.TryParse(value, out var duration))
        {
            Add(path, $"{GoDuration.Explain(value)}: expected a Go duration such as 90s, 15m, 1h30m or 720h");
            return null;
        }

        if (duration <= TimeSpan.Zero)
        {
            Add(path, $"must be a positive duration, got \"{value}\"");
            return null;
        }

        return duration;
    }

    public void Cron(string path, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !CronSchedule.TryParse(value, out _, out var error))
        {
            Add(path, $"invalid cron expression \"{value}\": {error}");
        }
    }

    public void Subdomain(string path, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !NameFormats.IsDns1123Subdomain(value))
        {
            Add(path, $"\"{value}\" must be a lower-case RFC 1123 subdomain (a-z, 0-9, '-' and '.', at most 253 characters)");
        }
    }

    public void Label(string path, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !NameFormats.IsDns1123Label(value))
        {
            Add(path, $"\"{value}\" must be a lower-case RFC 1123 label (a-z, 0-9 and '-', at most 63 characters)");
        }
    }

    public void Hostname(string path, string? value, bool allowWildcard, bool allowIP)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var valid = (allowWildcard ? NameFormats.IsWildcardHostname(value) : NameFormats.IsDns1123Subdomain(value))
            || (allowIP && NameFormats.IsIPAddress(value));
        if (!valid)
        {
            Add(path, $"\"{value}\" is not a valid host name (lower-case RFC 1123 subdomain{(allowWildcard ? ", optionally starting with *." : "")}{(allowIP ? ", or an IP address" : "")})");
        }
    }

    /// <summary>A non-negative quantity; returns its value.</summary>
    public decimal? Quantity(string path, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!ResourceQuantity.TryParse(value, out var quantity))
        {
            Add(path, $"\"{value}\" is not a resource quantity (e.g. 500m, 2, 512Mi, 4Gi)");
            return null;
        }

        if (quantity < 0)
        {
            Add(path, $"must not be negative, got \"{value}\"");
            return null;
        }

        return quantity;
    }

    public void Resources(string path, ResourceRequirements? resources)
    {
        if (resources is null)
        {
            return;
        }

        var requests = QuantityMap($"{path}.requests", resources.Requests);
        var limits = QuantityMap($"{path}.limits", resources.Limits);
        foreach (var (name, request) in requests)
        {
            if (limits.TryGetValue(name, out var limit) && request > limit)
            {
                Add($"{path}.requests[{name}]", $"must be less than or equal to the {name} limit ({resources.Limits![name]})");
            }
        }
    }

    public void IssuerUrl(string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Add(path, "is required");
            return;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            Add(path, $"\"{value}\" must be an https URL without query or fragment (http only for loopback issuers)");
        }
    }

    public void LabelMap(string path, Dictionary<string, string>? labels)
    {
        foreach (var (key, value) in labels ?? [])
        {
            if (!NameFormats.IsQualifiedName(key))
            {
                Add($"{path}[{key}]", $"\"{key}\" is not a valid label key ([prefix/]name, name at most 63 characters)");
            }

            if (!NameFormats.IsLabelValue(value))
            {
                Add($"{path}[{key}]", $"\"{value}\" is not a valid label value (at most 63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric)");
            }
        }
    }

    public void AnnotationMap(string path, Dictionary<string, string>? annotations)
    {
        foreach (var key in annotations?.Keys ?? (IEnumerable<string>)[])
        {
            if (!NameFormats.IsQualifiedName(key))
            {
                Add($"{path}[{key}]", $"\"{key}\" is not a valid annotation key ([prefix/]name, name at most 63 characters)");
            }
        }
    }

    public void Tolerations(string path, List<Toleration>? tolerations)
    {
        for (var i = 0; i < (tolerations?.Count ?? 0); i++)
        {
            var toleration = tolerations![i];
            var at = $"{path}[{i}]";
            var op = toleration.Operator ?? "";
            if (!TolerationOperators.Contains(op))
            {
                Add($"{at}.operator", $"unsupported value \"{op}\": must be Exists or Equal");
            }

            if (string.IsNullOrEmpty(toleration.Key))
            {
                if (op != "Exists")
                {
                    Add($"{at}.operator", "must be Exists when key is empty");
                }
            }
            else if (!NameFormats.IsQualifiedName(toleration.Key))
            {
                Add($"{at}.key", $"\"{toleration.Key}\" is not a valid taint key");
            }

            if (op == "Exists" && !string.IsNullOrEmpty(toleration.Value))
            {
                Add($"{at}.value", "must be empty when operator is Exists");
            }

            if (!TaintEffects.Contains(toleration.Effect ?? ""))
            {
                Add($"{at}.effect", $"unsupported value \"{toleration.Effect}\": must be NoSchedule, PreferNoSchedule or NoExecute");
            }

            if (toleration.TolerationSeconds is not null && toleration.Effect != "NoExecute")
            {
                Add($"{at}.tolerationSeconds", "is only allowed with effect NoExecute");
            }
        }
    }

    public void JsonObject(string path, JsonElement? element)
    {
        if (element is { } value && value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
        {
            Add(path, $"must be an object, got {value.ValueKind}");
        }
    }

    private Dictionary<string, decimal> QuantityMap(string path, Dictionary<string, string>? map)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (name, text) in map ?? [])
        {
            if (!NameFormats.IsQualifiedName(name))
            {
                Add($"{path}[{name}]", $"\"{name}\" is not a valid resource name");
                continue;
            }

            if (Quantity($"{path}[{name}]", text) is { } value)
            {
                result[name] = value;
            }
        }

        return result;
    }
}
