using BuildKitController.Kubernetes.Models;

namespace BuildKitController.Kubernetes.Runtime.Informers;

/// <summary>Points the repetitive strings of an object's metadata at one shared instance each.</summary>
internal static class MetadataStrings
{
    public static void Share<T>(T value, StringPool pool)
        where T : class, IKubernetesResource<T>
    {
        if (value is KubernetesObject typed)
        {
            typed.ApiVersion = pool.Get(typed.ApiVersion);
            typed.Kind = pool.Get(typed.Kind);
        }

        var meta = value.Metadata;
        meta.Namespace = pool.Get(meta.Namespace);
        meta.GenerateName = pool.Get(meta.GenerateName);
        meta.Labels = pool.Get(meta.Labels);
        meta.Annotations = pool.Get(meta.Annotations);
        if (meta.Finalizers is { } finalizers)
        {
            for (var i = 0; i < finalizers.Count; i++)
            {
                finalizers[i] = pool.Get(finalizers[i]);
            }
        }

        foreach (var owner in meta.OwnerReferences ?? [])
        {
            owner.ApiVersion = pool.Get(owner.ApiVersion);
            owner.Kind = pool.Get(owner.Kind);
            owner.Name = pool.Get(owner.Name);
        }
    }
}
