namespace ShopifyReferral.Bench;

internal static class Repo
{
    /// <summary>The folder holding ShopifyReferral.sln, found upwards from the working directory or the binary.</summary>
    public static string Root { get; } = Find(Directory.GetCurrentDirectory()) ?? Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Run from inside the repository (ShopifyReferral.sln not found).");

    private static string? Find(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ShopifyReferral.sln"))) return dir.FullName;
        return null;
    }
}
