using System.Globalization;

namespace BuildKitController.Gateway.Tests.Support;

/// <summary>
/// A directory laid out like a Kubernetes Secret volume: the files are symlinks <c>name → ..data/name</c>, and
/// <c>..data</c> is a symlink to a timestamped directory that an update replaces by an atomic rename.
/// </summary>
internal sealed class SecretVolume : IDisposable
{
    private int _version;

    public SecretVolume(IReadOnlyDictionary<string, string> files)
    {
        Path = Directory.CreateTempSubdirectory("gateway-secret-").FullName;
        Update(files);
        foreach (var name in files.Keys)
        {
            File.CreateSymbolicLink(System.IO.Path.Combine(Path, name), System.IO.Path.Combine("..data", name));
        }
    }

    public string Path { get; }

    /// <summary>Writes a new version and swaps <c>..data</c> to it in one rename.</summary>
    public void Update(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var version = string.Create(CultureInfo.InvariantCulture, $"..2025_01_01_00_00_{++_version:D2}.{Random.Shared.Next()}");
        var directory = System.IO.Path.Combine(Path, version);
        Directory.CreateDirectory(directory);
        foreach (var (name, content) in files)
        {
            File.WriteAllText(System.IO.Path.Combine(directory, name), content);
        }

        var temporary = System.IO.Path.Combine(Path, "..data_tmp");
        File.CreateSymbolicLink(temporary, version);
        // rename(2) over the old link, as the kubelet does (File.Move refuses links to directories).
        using var move = System.Diagnostics.Process.Start("mv", ["-Tf", temporary, System.IO.Path.Combine(Path, "..data")])!;
        move.WaitForExit();
        if (move.ExitCode != 0)
        {
            throw new IOException("mv -T failed");
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
