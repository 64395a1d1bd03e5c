namespace ShopifyReferral.Tests.Infrastructure;

/// <summary>Waits for background work; fails with the condition's description when time runs out.</summary>
public static class Eventually
{
    public static async Task True(Func<bool> condition, TimeSpan? within = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for {what ?? "the condition"}.");
            await Task.Delay(20);
        }
    }
}
