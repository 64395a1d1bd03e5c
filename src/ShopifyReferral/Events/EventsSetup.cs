using Microsoft.Extensions.Options;

namespace ShopifyReferral.Events;

public static class EventsSetup
{
    /// <summary>The outbox, the endpoints' store and guard, and the events' own HTTP client (its job kind is registered in JobsSetup).</summary>
    public static IServiceCollection AddEvents(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<EventOptions>().Bind(config.GetSection("Events")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EventOptions>, EventOptionsValidator>();
        services.AddSingleton<EventOutbox>();
        services.AddSingleton<EventEndpointStore>();
        services.AddSingleton<EndpointSecrets>();
        services.AddSingleton<EndpointGuard>();
        // Short, no redirects (a redirect could point anywhere, the guard's check included), no proxy (the guard
        // must see the real destination), and every connection through the guard.
        services.AddHttpClient(EventDelivery.HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<EventOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectCallback = sp.GetRequiredService<EndpointGuard>().ConnectAsync,
            });
        return services;
    }
}
