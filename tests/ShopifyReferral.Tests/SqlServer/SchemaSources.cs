using System.Data.Common;
using Dapper;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using ShopifyReferral.Data;
using ShopifyReferral.Tests.Infrastructure;

namespace ShopifyReferral.Tests.SqlServer;

/// <summary>Where one provider's schema comes from. <see cref="ToString"/> names the test case.</summary>
internal sealed record SchemaSource(string Name, Func<Task<Schema>> Load)
{
    public override string ToString() => Name;

    /// <summary>SQL Server's migrations (and schema_version) as SQL Server would build them, read with ScriptDom.</summary>
    public static readonly SchemaSource SqlServerMigrations = new("SqlServer", () => Task.FromResult(ReadSqlServerDdl()));

    /// <summary>SQLite's live catalog: the declared types of a freshly migrated file.</summary>
    public static readonly SchemaSource SqliteCatalog = new("Sqlite", async () =>
    {
        using var database = TestDatabase.Create(DatabaseProvider.Sqlite);
        await database.Migrator().MigrateAsync();
        await using var conn = await database.Db().OpenAsync();
        var rows = await conn.QueryAsync<(string Table, string Column, string Type)>("""
            SELECT m.name, p.name, p.type FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid
            """);
        return new Schema("Sqlite", rows.Select(r => new SchemaColumn(r.Table, r.Column, r.Type, Schema.FamilyOf(r.Type, sqlite: true))));
    });

    /// <summary>
    /// A live catalog read through information_schema (PostgreSQL, or a real SQL Server): <paramref name="open"/>
    /// returns an open connection to a migrated database and what to dispose afterwards.
    /// </summary>
    public static SchemaSource InformationSchema(string name, Func<Task<(DbConnection Connection, IDisposable Owner)>> open, string currentSchema) =>
        new(name, async () =>
        {
            var (conn, owner) = await open();
            using (owner)
            await using (conn)
            {
                var rows = await conn.QueryAsync<(string Table, string Column, string Type)>($"""
                    SELECT table_name, column_name, data_type FROM information_schema.columns
                    WHERE table_schema = {currentSchema} ORDER BY table_name, ordinal_position
                    """);
                return new Schema(name, rows.Select(r => new SchemaColumn(r.Table, r.Column, r.Type, Schema.FamilyOf(r.Type, sqlite: false))));
            }
        });

    public static Schema ReadSqlServerDdl()
    {
        var reader = new DdlReader();
        foreach (var sql in Migrator.Scripts(DatabaseProvider.SqlServer).Select(s => s.Sql).Prepend(SqlDialect.SqlServer.CreateSchemaVersionTable))
        {
            var script = TSql.Parse(sql, out var errors);
            if (errors.Count > 0) throw new InvalidOperationException($"A SQL Server migration does not parse: {errors[0].Message} (line {errors[0].Line})");
            script.Accept(reader);
        }
        return new Schema("SqlServer", reader.Columns);
    }

    /// <summary>Columns as CREATE TABLE, ALTER TABLE ADD / ALTER COLUMN / DROP COLUMN leave them, in order.</summary>
    private sealed class DdlReader : TSqlFragmentVisitor
    {
        public List<SchemaColumn> Columns { get; } = [];

        public override void Visit(CreateTableStatement node) => Add(node.SchemaObjectName, node.Definition.ColumnDefinitions);

        public override void Visit(AlterTableAddTableElementStatement node) => Add(node.SchemaObjectName, node.Definition.ColumnDefinitions);

        public override void Visit(AlterTableAlterColumnStatement node)
        {
            var table = node.SchemaObjectName.BaseIdentifier.Value;
            var i = Columns.FindIndex(c => Same(c.Table, table) && Same(c.Name, node.ColumnIdentifier.Value));
            if (i >= 0 && node.DataType is not null) Columns[i] = Column(table, node.ColumnIdentifier.Value, node.DataType);
        }

        public override void Visit(AlterTableDropTableElementStatement node)
        {
            var table = node.SchemaObjectName.BaseIdentifier.Value;
            foreach (var e in node.AlterTableDropTableElements.Where(e => e.TableElementType == TableElementType.Column))
                Columns.RemoveAll(c => Same(c.Table, table) && Same(c.Name, e.Name.Value));
        }

        private void Add(SchemaObjectName table, IEnumerable<ColumnDefinition> columns) =>
            Columns.AddRange(columns.Select(c => Column(table.BaseIdentifier.Value, c.ColumnIdentifier.Value, c.DataType)));

        private static SchemaColumn Column(string table, string name, DataTypeReference type)
        {
            var declared = type is SqlDataTypeReference s ? s.SqlDataTypeOption.ToString() : type.Name.BaseIdentifier.Value;
            return new(table, name, declared, Schema.FamilyOf(declared, sqlite: false));
        }

        private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }
}
