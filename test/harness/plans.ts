import { type CompiledQuery, sql } from "kysely";
import type { Db } from "../../src/db/connect.ts";

/**
 * A statement's query plan as text. On PostgreSQL, as for tables large enough that scanning is
 * not an option: small test tables make a sequential scan look cheap.
 */
export async function queryPlan(db: Db, statement: CompiledQuery): Promise<string> {
  if (db.dialect === "sqlite") {
    const { rows } = await db.db.executeQuery<{ detail: string }>({
      ...statement,
      sql: `explain query plan ${statement.sql}`,
    } as never);
    return rows.map((r) => r.detail).join("\n");
  }
  return db.db.connection().execute(async (conn) => {
    await sql`set enable_seqscan = off`.execute(conn);
    const { rows } = await conn.executeQuery<{ "QUERY PLAN": string }>({
      ...statement,
      sql: `explain ${statement.sql}`,
    } as never);
    await sql`reset enable_seqscan`.execute(conn);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
}
