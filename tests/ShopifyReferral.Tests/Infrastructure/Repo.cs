namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>Paths inside the repository, found from the test assembly's folder.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string AppDll => Path("src", "ShopifyReferral", "bin", Configuration, "net10.0", "ShopifyReferral.dll");

    /// <summary>The dev host (the app with the sandbox store), what the README's first command runs.</summary>
    public static string DevHostDll => Path("src", "ShopifyReferral.DevHost", "bin", Configuration, "net10.0", "ShopifyReferral.DevHost.dll");

    /// <summary>A fresh folder for one test's files (databases, logs, screenshots).</summary>
    public static string TempFolder()
    {
        var dir = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "shopifyreferral-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string Configuration =>
        // BaseDirectory is bin/{Configuration}/net10.0/ (with the trailing slash).
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ShopifyReferral.sln"))) return dir.FullName;
        throw new InvalidOperationException("ShopifyReferral.sln not found above " + AppContext.BaseDirectory);
    }
}
