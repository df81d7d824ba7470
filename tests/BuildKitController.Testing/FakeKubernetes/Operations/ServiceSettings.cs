using System.Text.Json.Nodes;
using BuildKitController.Testing.FakeKubernetes.Registry;

namespace BuildKitController.Testing.FakeKubernetes.Operations;

/// <summary>Behaviour switches of <see cref="ResourceService"/>.</summary>
internal sealed record ServiceSettings(bool EnforceNamespaces, Func<JsonObject, ICustomResourceSchemaValidator?>? SchemaValidatorFactory);
