namespace BuildKitController.Testing;

/// <summary>Files of this repository, found from the test output folder.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(FindRoot);

    public static string RootDirectory => Root.Value;

    public static string PathOf(params string[] parts) => Path.Combine([RootDirectory, .. parts]);

    public static string ReadAllText(params string[] parts) => File.ReadAllText(PathOf(parts));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "BuildKitController.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no BuildKitController.slnx above {AppContext.BaseDirectory}");
    }
}
