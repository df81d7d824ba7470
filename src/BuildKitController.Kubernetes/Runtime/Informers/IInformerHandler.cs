namespace BuildKitController.Kubernetes.Runtime.Informers;

/// <summary>Receives cache changes. Called on the informer's loop: keep it quick (enqueue a key, don't call the API).</summary>
public interface IInformerHandler<in T>
{
    void OnAdd(T value);

    /// <summary>Also called with the same object for periodic resyncs.</summary>
    void OnUpdate(T previous, T current);

    void OnDelete(T value);
}
