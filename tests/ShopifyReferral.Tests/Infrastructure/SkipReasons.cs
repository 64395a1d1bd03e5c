using NUnit.Framework.Interfaces;
using ShopifyReferral.Tests.Infrastructure;

[assembly: SkipReasons]

namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>
/// Prints "Skipped {test}: {reason}" for every test that skips itself (Assert.Ignore and friends). The console logger
/// of `dotnet test` shows a skipped test's name but not its reason at its default verbosity, while it does show what
/// a test writes to TestContext.Error: so the README's plain `dotnet test` says why each skip happened and how to
/// enable the test, with no logger options and no results file to dig through.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class SkipReasonsAttribute : Attribute, ITestAction
{
    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test) { }

    public void AfterTest(ITest test)
    {
        var result = TestContext.CurrentContext.Result;
        if (result.Outcome.Status is TestStatus.Skipped or TestStatus.Inconclusive)
            TestContext.Error.WriteLine($"Skipped {test.FullName}: {result.Message}");
    }
}
