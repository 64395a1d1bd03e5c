using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests;

/// <summary>What every test of the run shares: the migrated templates (<see cref="MigratedTemplate"/>), dropped at its end.</summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeTearDown]
    public void DropTemplates() => MigratedTemplate.Drop();
}
