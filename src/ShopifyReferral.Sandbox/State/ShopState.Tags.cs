namespace ShopifyReferral.Sandbox.State;

/// <summary>A metafield as the sandbox keeps it; the namespace is resolved ($app:x → app--{client id}--x) like Shopify's.</summary>
public sealed record SandboxMetafield(long Id, string OwnerId, string Namespace, string Key, string Type, string Value, DateTimeOffset UpdatedAt);

/// <summary>Metafields and tags per owner gid (customers here), written by metafieldsSet and tagsAdd.</summary>
public sealed partial class ShopState
{
    private readonly Dictionary<(string Owner, string Namespace, string Key), SandboxMetafield> _metafields = [];
    private readonly Dictionary<string, SortedSet<string>> _tags = [];

    public IReadOnlyList<SandboxMetafield> Metafields(string ownerGid)
    {
        lock (Gate) return [.. _metafields.Values.Where(m => m.OwnerId == ownerGid).OrderBy(m => m.Id)];
    }

    public IReadOnlyList<string> Tags(string ownerGid)
    {
        lock (Gate) return _tags.TryGetValue(ownerGid, out var t) ? [.. t] : [];
    }

    /// <summary>Sets (creates or overwrites) a metafield; call under <see cref="Gate"/>.</summary>
    internal SandboxMetafield SetMetafield(string owner, string ns, string key, string type, string value, DateTimeOffset now)
    {
        var id = _metafields.TryGetValue((owner, ns, key), out var old) ? old.Id : _sandbox.NextId();
        return _metafields[(owner, ns, key)] = new SandboxMetafield(id, owner, ns, key, type, value, now);
    }

    /// <summary>Adds tags (a set: adding one twice keeps one); call under <see cref="Gate"/>.</summary>
    internal void AddTags(string owner, IEnumerable<string> tags)
    {
        if (!_tags.TryGetValue(owner, out var set)) _tags[owner] = set = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in tags) set.Add(t);
    }
}
