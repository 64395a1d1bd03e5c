extern alias GraphQLNet;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQLNet::GraphQL;
using GraphQLNet::GraphQL.Types;
using GraphQLNet::GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;
using Microsoft.Extensions.Configuration;
using ShopifyReferral.Shopify;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.Shopify;

/// <summary>
/// Shopify's Admin schema of the version the app calls (Shopify:ApiVersion, from appsettings.json over
/// ShopifyOptions' default), built with GraphQL.NET, validating documents and the variables sent with them.
/// </summary>
internal static class AdminSchema
{
    private static readonly Lazy<ISchema> Lazy = new(Build);

    public static string Version { get; } = ConfiguredVersion();

    public static string File => Repo.Path("src", "ShopifyReferral", "Shopify", "Schema", $"shopify-admin-{Version}.graphql");

    /// <summary>Errors (empty when valid) and deprecated fields used (which still work, so they only warn).</summary>
    public static async Task<(IReadOnlyList<string> Errors, IReadOnlyList<string> Deprecated)> ValidateAsync(string document, JsonObject? variables)
    {
        GraphQLDocument parsed;
        try
        {
            parsed = Parser.Parse(document);
        }
        catch (GraphQLParser.Exceptions.GraphQLSyntaxErrorException ex)
        {
            return ([ex.Message], []);
        }
        var deprecated = new DeprecatedFields();
        var result = await new DocumentValidator().ValidateAsync(new ValidationOptions
        {
            Schema = Lazy.Value,
            Document = parsed,
            Operation = parsed.Definitions.OfType<GraphQLOperationDefinition>().First(),
            Rules = DocumentValidator.CoreRules.Append(deprecated),
            Variables = variables is null ? Inputs.Empty : new Inputs(ToObject(variables)),
        });
        return ([.. result.Errors.Select(e => e.Message)], deprecated.Found);
    }

    private static string ConfiguredVersion()
    {
        var options = new ShopifyOptions();
        new ConfigurationBuilder().AddJsonFile(Repo.Path("appsettings.json")).Build().GetSection(ShopifyOptions.Section).Bind(options);
        return options.ApiVersion;
    }

    private static ISchema Build()
    {
        if (!System.IO.File.Exists(File))
            throw new FileNotFoundException($"The app calls Admin API {Version}: put Shopify's schema of that version at {File}.");
        var sdl = System.IO.File.ReadAllText(File);
        var definitions = Parser.Parse(sdl, new ParserOptions { Ignore = IgnoreOptions.All }).Definitions;
        // Validation never resolves a union or an interface, but GraphQL.NET wants to know it could.
        var abstracts = definitions.OfType<GraphQLUnionTypeDefinition>().Select(d => d.Name.StringValue)
            .Concat(definitions.OfType<GraphQLInterfaceTypeDefinition>().Select(d => d.Name.StringValue));
        var schema = Schema.For(sdl, builder =>
        {
            foreach (var name in abstracts) builder.Types.For(name).ResolveType = _ => null!;
        });
        foreach (var scalar in definitions.OfType<GraphQLScalarTypeDefinition>())
            schema.RegisterType(new ShopifyScalar(scalar.Name.StringValue));
        schema.Initialize();
        return schema;
    }

    /// <summary>Variables JSON as GraphQL.NET's own serializer would hand them over.</summary>
    private static Dictionary<string, object?> ToObject(JsonObject json) => json.ToDictionary(p => p.Key, p => ToValue(p.Value));

    private static object? ToValue(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => ToObject(o),
        JsonArray a => a.Select(ToValue).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when v.TryGetValue<long>(out var l) => l is >= int.MinValue and <= int.MaxValue ? (int)l : l,
            JsonValueKind.Number => v.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };

    /// <summary>Shopify's own scalars, each accepting what Shopify documents for it as input.</summary>
    private sealed class ShopifyScalar : ScalarGraphType
    {
        public ShopifyScalar(string name) => Name = name;

        public override object? ParseValue(object? value) => value is null || Accepts(value) ? value : ThrowValueConversionError(value);

        public override object? ParseLiteral(GraphQLValue value) => value switch
        {
            GraphQLNullValue => null,
            GraphQLStringValue s => ParseValue((string)s.Value),
            GraphQLIntValue i => ParseValue(long.Parse(i.Value.Span, CultureInfo.InvariantCulture)),
            GraphQLFloatValue f => ParseValue(double.Parse(f.Value.Span, CultureInfo.InvariantCulture)),
            _ when Name == "JSON" => value,
            _ => ThrowLiteralConversionError(value),
        };

        private bool Accepts(object value) => Name switch
        {
            "JSON" => true,
            "Decimal" or "Money" => value is int or long or double || value is string s && decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out _),
            "UnsignedInt64" => value is int and >= 0 or long and >= 0 || value is string s && ulong.TryParse(s, CultureInfo.InvariantCulture, out _),
            "BigInt" => value is int or long || value is string s && long.TryParse(s, CultureInfo.InvariantCulture, out _),
            "DateTime" => value is string s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _),
            "Date" => value is string s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "URL" => value is string s && Uri.TryCreate(s, UriKind.Absolute, out _),
            "Color" => value is string { Length: 7 } s && s[0] == '#' && s[1..].All(Uri.IsHexDigit),
            _ => value is string,
        };
    }

    /// <summary>Collects fields the document selects that the schema marks deprecated.</summary>
    private sealed class DeprecatedFields : ValidationRuleBase
    {
        public List<string> Found { get; } = [];

        public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
            new(new MatchingNodeVisitor<GraphQLField>((field, ctx) =>
            {
                if (ctx.TypeInfo.GetFieldDef() is { DeprecationReason: { } why } def)
                    Found.Add($"{field.Name.StringValue} is deprecated: {why}");
            }));
    }
}
