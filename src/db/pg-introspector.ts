import {
  type DatabaseIntrospector,
  type DatabaseMetadataOptions,
  type Kysely,
  PostgresDialect,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from "kysely";

/**
 * Kysely's PostgreSQL introspector reads every schema in the database, and fails with "schema
 * does not exist" when another connection drops a schema meanwhile (tests, several instances
 * sharing a database). Ours reads only the connection's own schema, the one it migrates.
 */
export class SchemaScopedPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaScopedIntrospector(db);
  }
}

interface ColumnRow {
  table: string;
  kind: string;
  column: string;
  type: string;
  nullable: string;
  default_value: string | null;
  identity: string;
}

class SchemaScopedIntrospector implements DatabaseIntrospector {
  readonly #db: Kysely<unknown>;

  constructor(db: Kysely<unknown>) {
    this.#db = db;
  }

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select current_schema() as name`.execute(this.#db);
    return rows;
  }

  async getTables(
    options: DatabaseMetadataOptions = { withInternalKyselyTables: false },
  ): Promise<TableMetadata[]> {
    const { rows } = await sql<ColumnRow>`
      select c.table_name as table, t.table_type as kind, c.column_name as column,
        c.udt_name as type, c.is_nullable as nullable, c.column_default as default_value,
        c.is_identity as identity
      from information_schema.columns c
      join information_schema.tables t
        on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = current_schema()
      order by c.table_name, c.ordinal_position`.execute(this.#db);
    const schema = (await this.getSchemas())[0]?.name;
    const tables = new Map<string, TableMetadata>();
    for (const row of rows) {
      if (!options.withInternalKyselyTables && row.table.startsWith("kysely_migration")) continue;
      let table = tables.get(row.table);
      if (table === undefined) {
        table = {
          name: row.table,
          ...(schema === undefined ? {} : { schema }),
          isView: row.kind === "VIEW",
          isForeign: row.kind === "FOREIGN",
          columns: [],
        };
        tables.set(row.table, table);
      }
      table.columns.push({
        name: row.column,
        dataType: row.type,
        isNullable: row.nullable === "YES",
        isAutoIncrementing: row.identity === "YES" || /^nextval\(/.test(row.default_value ?? ""),
        hasDefaultValue: row.default_value !== null,
      });
    }
    return [...tables.values()];
  }
}
