namespace ShopifyReferral.Bench;

/// <summary>The machine's load average, printed beside every figure: on a shared box it says how much to trust it.</summary>
internal static class Load
{
    public static string Average() =>
        File.Exists("/proc/loadavg") ? "loadavg " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "loadavg n/a";
}
