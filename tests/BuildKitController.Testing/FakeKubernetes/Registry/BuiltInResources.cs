using BuildKitController.Kubernetes.Models;
using BuildKitController.Kubernetes.Models.ApiExtensionsV1;
using BuildKitController.Kubernetes.Models.AppsV1;
using BuildKitController.Kubernetes.Models.AuthenticationV1;
using BuildKitController.Kubernetes.Models.AuthorizationV1;
using BuildKitController.Kubernetes.Models.CoordinationV1;
using BuildKitController.Kubernetes.Models.CoreV1;
using BuildKitController.Kubernetes.Models.NetworkingV1;
using BuildKitController.Kubernetes.Models.PolicyV1;
using BuildKitController.Kubernetes.Models.RbacV1;
using BuildKitController.Testing.FakeKubernetes.Patching;

namespace BuildKitController.Testing.FakeKubernetes.Registry;

/// <summary>The built-in kinds the fake serves from the start.</summary>
internal static class BuiltInResources
{
    public static IReadOnlyList<RegisteredResource> Create() =>
    [
        Make(Pod.Resource, "pod", hasStatus: true, returnDeleted: true, shortNames: ["po"], fields: new Dictionary<string, string>
        {
            ["spec.nodeName"] = "spec.nodeName",
            ["spec.restartPolicy"] = "spec.restartPolicy",
            ["spec.schedulerName"] = "spec.schedulerName",
            ["spec.serviceAccountName"] = "spec.serviceAccountName",
            ["status.phase"] = "status.phase",
            ["status.podIP"] = "status.podIP",
            ["status.nominatedNodeName"] = "status.nominatedNodeName",
        }),
        Make(Service.Resource, "service", hasStatus: true, returnDeleted: true, shortNames: ["svc"], nameRule: NameRule.Dns1035Label),
        Make(Secret.Resource, "secret", fields: new Dictionary<string, string> { ["type"] = "type" }),
        Make(ConfigMap.Resource, "configmap", shortNames: ["cm"]),
        Make(ServiceAccount.Resource, "serviceaccount", returnDeleted: true, shortNames: ["sa"]),
        Make(Namespace.Resource, "namespace", hasStatus: true, returnDeleted: true, shortNames: ["ns"], nameRule: NameRule.Label,
            fields: new Dictionary<string, string> { ["status.phase"] = "status.phase" }),
        Make(Event.Resource, "event", shortNames: ["ev"], fields: new Dictionary<string, string>
        {
            ["involvedObject.kind"] = "involvedObject.kind",
            ["involvedObject.namespace"] = "involvedObject.namespace",
            ["involvedObject.name"] = "involvedObject.name",
            ["involvedObject.uid"] = "involvedObject.uid",
            ["involvedObject.apiVersion"] = "involvedObject.apiVersion",
            ["involvedObject.resourceVersion"] = "involvedObject.resourceVersion",
            ["involvedObject.fieldPath"] = "involvedObject.fieldPath",
            ["reason"] = "reason",
            ["reportingComponent"] = "reportingComponent",
            ["source"] = "source.component",
            ["type"] = "type",
        }),
        Make(Deployment.Resource, "deployment", hasStatus: true, shortNames: ["deploy"]),
        Make(Lease.Resource, "lease"),
        Make(NetworkPolicy.Resource, "networkpolicy", shortNames: ["netpol"]),
        Make(Ingress.Resource, "ingress", hasStatus: true, shortNames: ["ing"]),
        Make(PodDisruptionBudget.Resource, "poddisruptionbudget", hasStatus: true, shortNames: ["pdb"]),
        Make(Role.Resource, "role"),
        Make(RoleBinding.Resource, "rolebinding"),
        Make(CustomResourceDefinition.Resource, "customresourcedefinition", hasStatus: true, shortNames: ["crd", "crds"]),
        Make(TokenReview.Resource, "tokenreview", review: true),
        Make(SubjectAccessReview.Resource, "subjectaccessreview", review: true),
    ];

    private static RegisteredResource Make(
        ResourceType type,
        string singular,
        bool hasStatus = false,
        bool returnDeleted = false,
        bool review = false,
        string[]? shortNames = null,
        NameRule nameRule = NameRule.Subdomain,
        Dictionary<string, string>? fields = null) => new()
        {
            Type = type,
            Singular = singular,
            HasStatus = hasStatus,
            ReturnDeletedObject = returnDeleted,
            IsReview = review,
            ShortNames = shortNames ?? [],
            NameRule = nameRule,
            SelectableFields = fields ?? [],
            ListSemantics = BuiltInListSemantics.Instance,
        };
}
