using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ShopifyReferral.Events;

/// <summary>
/// Keeps events away from the operator's own network (SSRF): an endpoint must be https and its host must resolve to
/// public addresses only, checked when it is registered and again at every connection, since DNS can change between
/// the two (the connection goes to the address that was checked, never to a fresh lookup). Events:AllowPrivateEndpoints,
/// or the sandbox mode, lifts both rules for a receiver on this machine.
/// </summary>
public sealed class EndpointGuard(IOptions<EventOptions> options, AppMode mode)
{
    private bool Open => options.Value.AllowPrivateEndpoints || mode.IsSandbox;

    /// <summary>Null when the URL may receive events; otherwise why not, in words for the merchant.</summary>
    public async Task<string?> RefuseAsync(string? url, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "Must be an absolute https URL.";
        if (url.Length > 2048) return "Must be at most 2048 characters.";
        if (uri.UserInfo.Length > 0) return "Must not carry a user name or password; authenticate by the signature.";
        if (Open) return null;
        if (uri.Scheme != "https") return "Must use https.";
        try
        {
            await PublicAddressesAsync(uri.IdnHost, ct);
            return null;
        }
        catch (EndpointRefusedException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The host's addresses, all public, or <see cref="EndpointRefusedException"/> saying which is not.</summary>
    public async Task<IPAddress[]> PublicAddressesAsync(string host, CancellationToken ct)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) addresses = [literal];
        else
        {
            try { addresses = await Dns.GetHostAddressesAsync(host, ct); }
            catch (SocketException ex) { throw new EndpointRefusedException($"The host {host} could not be resolved ({ex.SocketErrorCode})."); }
        }
        if (addresses.Length == 0) throw new EndpointRefusedException($"The host {host} has no address.");
        if (addresses.FirstOrDefault(IsPrivate) is { } bad)
            throw new EndpointRefusedException($"The host {host} resolves to {bad}, a loopback, private or link-local address; events go to public addresses only.");
        return addresses;
    }

    /// <summary>The events client's connect step: to a checked public address (any address when open).</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = Open ? await Dns.GetHostAddressesAsync(host, ct) : await PublicAddressesAsync(host, ct);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Loopback, private (RFC 1918, unique local), link-local, carrier NAT, unspecified, multicast or reserved.</summary>
    public static bool IsPrivate(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,
                100 => b[1] is >= 64 and <= 127,           // carrier-grade NAT
                169 => b[1] == 254,                        // link-local, cloud metadata services
                172 => b[1] is >= 16 and <= 31,
                192 => (b[1] == 168) || (b[1] == 0 && b[2] == 0),
                198 => b[1] is 18 or 19,                   // benchmarking networks
                >= 224 => true,                            // multicast, reserved, broadcast
                _ => false,
            };
        }
        if (IPAddress.IsLoopback(ip) || ip.Equals(IPAddress.IPv6None) || ip.Equals(IPAddress.IPv6Any)) return true;
        if (ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6Multicast || ip.IsIPv6UniqueLocal) return true;
        var v6 = ip.GetAddressBytes();
        // NAT64 (64:ff9b::/96) carries an IPv4 address: judged by that one.
        if (v6[0] == 0 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b && v6[4..12].All(x => x == 0))
            return IsPrivate(new IPAddress(v6[12..]));
        return false;
    }
}

/// <summary>An endpoint whose host is not public: never connected to.</summary>
public sealed class EndpointRefusedException(string message) : Exception(message);
