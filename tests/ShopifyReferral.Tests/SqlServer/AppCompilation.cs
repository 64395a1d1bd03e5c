using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>
/// The app's own sources (src/ShopifyReferral) compiled with Roslyn, so a test can follow each SQL string to the
/// call that sends it. The compilation must bind without errors: a statement found by a half-bound model could be
/// a wrong one, so an error fails the test that asked rather than silently finding less.
/// </summary>
internal static class AppCompilation
{
    private static readonly Lazy<(CSharpCompilation, Dictionary<SyntaxTree, SemanticModel>)> Lazy = new(Build);

    /// <summary>The name the scanned app compiles under here (its own symbols say this, not ShopifyReferral).</summary>
    public const string AssemblyName = "ShopifyReferral.Scan";

    public static CSharpCompilation Compilation => Lazy.Value.Item1;

    /// <summary>One semantic model per file, kept: a model caches what it has bound, and binding is the slow part.</summary>
    public static SemanticModel Model(SyntaxTree tree) => Lazy.Value.Item2[tree];

    public static string Source => Repo.Path("src", "ShopifyReferral");

    private static (CSharpCompilation, Dictionary<SyntaxTree, SemanticModel>) Build()
    {
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var files = Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(f))
            .Append(GlobalUsings());
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, f)).ToList();
        var compilation = CSharpCompilation.Create(AssemblyName, trees, References(),
            // Unsafe as the project allows it (AllowUnsafeBlocks: Data/SqliteBusyWait.cs binds a function pointer).
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var models = trees.ToDictionary(t => t, t => (SemanticModel)compilation.GetSemanticModel(t));
        var errors = models.Values.SelectMany(m => m.GetDiagnostics())
            .Where(d => d.Severity == DiagnosticSeverity.Error && !FromSourceGenerators(d))
            .Take(10).ToList();
        if (errors.Count > 0)
            throw new InvalidOperationException("The app's sources did not bind:\n" + string.Join("\n", errors));
        return (compilation, models);
    }

    /// <summary>Everything the test run has loaded or can load, less the app itself (its sources stand in for it).</summary>
    private static IEnumerable<MetadataReference> References() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileNameWithoutExtension(p) is not ("ShopifyReferral" or "ShopifyReferral.Tests"))
            .Select(p => MetadataReference.CreateFromFile(p));

    /// <summary>The SDK's implicit usings, as the build wrote them (any configuration).</summary>
    private static string GlobalUsings() =>
        Directory.EnumerateFiles(Path.Combine(Source, "obj"), "ShopifyReferral.GlobalUsings.g.cs", SearchOption.AllDirectories)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault()
        ?? throw new InvalidOperationException("Build the app first: its obj/ folder has no GlobalUsings.g.cs.");

    // [GeneratedRegex] methods are completed by a source generator this compilation does not run.
    private static bool FromSourceGenerators(Diagnostic d) => d.Id == "CS8795";

    private static bool IsBuildOutput(string file)
    {
        var relative = Path.GetRelativePath(Source, file).Replace('\\', '/');
        return relative.StartsWith("obj/", StringComparison.Ordinal) || relative.StartsWith("bin/", StringComparison.Ordinal);
    }
}
