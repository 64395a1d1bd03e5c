using System.Collections;

namespace ShopifyReferral.Sandbox.GraphQL;

/// <summary>
/// A typed GraphQL object whose fields are computed only when selected. Resolvers return these (or
/// scalars, lists, null) and <see cref="SelectionProjector"/> turns them into JSON that holds exactly the
/// selected fields, which is what a real GraphQL server does and what a client's parser relies on.
/// </summary>
internal sealed class GraphObject(string typeName, params string[] interfaces) : IEnumerable
{
    private readonly Dictionary<string, Func<FieldArgs, object?>> _fields = [];

    public string TypeName => typeName;

    /// <summary>Matches an inline fragment's type condition (the concrete type or one of its interfaces).</summary>
    public bool IsA(string type) => type == typeName || interfaces.Contains(type);

    public void Add(string name, Func<FieldArgs, object?> resolve) => _fields[name] = resolve;

    public void Add(string name, object? value) => _fields[name] = _ => value;

    public bool TryGet(string name, out Func<FieldArgs, object?> resolve) => _fields.TryGetValue(name, out resolve!);

    IEnumerator IEnumerable.GetEnumerator() => _fields.Keys.GetEnumerator();
}

/// <summary>A field-level failure that becomes one <c>errors[]</c> entry with the field's path.</summary>
internal sealed class GraphQLFieldException(string message, string code) : Exception(message)
{
    public string Code => code;
}
