using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Operations;

/// <summary>
/// Behind a load balancer or reverse proxy every request comes from the proxy's address, so the storefront's rate
/// limit and the share-click hashes would see one shopper. With <c>Proxy:KnownProxies</c> (addresses) or
/// <c>Proxy:KnownNetworks</c> (CIDR ranges) set, X-Forwarded-For and X-Forwarded-Proto from those senders are taken
/// as the client's; from anyone else they are ignored, so a shopper cannot choose their own address. Unset: no
/// forwarded header is trusted at all, not even from loopback.
/// </summary>
public static class ProxySetup
{
    public static IServiceCollection AddProxy(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<ProxyOptions>().Bind(config.GetSection(ProxyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((o, proxy) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the senders named here are trusted, so the walk back through X-Forwarded-For can go as deep as
            // they chain (CDN, then load balancer) and still stops at the first address nobody vouches for.
            o.ForwardLimit = null;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var ip in ProxyOptions.List(proxy.Value.KnownProxies)) o.KnownProxies.Add(IPAddress.Parse(ip));
            foreach (var net in ProxyOptions.List(proxy.Value.KnownNetworks)) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(net));
        });
        return services;
    }

    /// <summary>First in the pipeline, so every later part (rate limiter, share clicks, logs) sees the client.</summary>
    public static WebApplication UseProxy(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Enabled) app.UseForwardedHeaders();
        return app;
    }
}

/// <summary>Settings bound from the <c>Proxy</c> section: comma-separated, so one environment variable holds a list.</summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Addresses of the proxies in front of the app, e.g. <c>10.0.0.5,10.0.0.6</c>.</summary>
    public string KnownProxies { get; set; } = "";

    /// <summary>Ranges the proxies are in, e.g. <c>10.0.0.0/8,fd00::/8</c>.</summary>
    public string KnownNetworks { get; set; } = "";

    public bool Enabled => List(KnownProxies).Any() || List(KnownNetworks).Any();

    internal static IEnumerable<string> List(string value) =>
        value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions o)
    {
        var errors = ProxyOptions.List(o.KnownProxies).Where(ip => !IPAddress.TryParse(ip, out _))
            .Select(ip => $"Proxy:KnownProxies: '{ip}' is not an IP address.")
            .Concat(ProxyOptions.List(o.KnownNetworks).Where(n => !System.Net.IPNetwork.TryParse(n, out _))
                .Select(n => $"Proxy:KnownNetworks: '{n}' is not a CIDR range such as 10.0.0.0/8."))
            .ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
