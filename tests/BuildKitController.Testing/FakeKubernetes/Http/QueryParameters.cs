using System.Globalization;
using BuildKitController.Testing.FakeKubernetes.Api;
using Microsoft.AspNetCore.Http;

namespace BuildKitController.Testing.FakeKubernetes.Http;

/// <summary>Typed access to the query parameters of list, watch, write and delete requests.</summary>
internal sealed class QueryParameters(IQueryCollection query)
{
    public string? Get(string name) => query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    /// <summary>Go's strconv.ParseBool, as the real server reads boolean parameters.</summary>
    public bool? Bool(string name) => Get(name) switch
    {
        null => null,
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" or "" => false,
        var other => throw ApiErrors.BadRequest($"invalid value for {name}: strconv.ParseBool: parsing \"{other}\": invalid syntax"),
    };

    public long? Long(string name) => Get(name) switch
    {
        null or "" => null,
        var text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) => value,
        var text => throw ApiErrors.BadRequest($"invalid value for {name}: strconv.ParseInt: parsing \"{text}\": invalid syntax"),
    };

    public static bool IsWatch(IQueryCollection query) =>
        query.TryGetValue("watch", out var values) && values.Count > 0 && values[0] is "1" or "t" or "T" or "true" or "TRUE" or "True";
}
