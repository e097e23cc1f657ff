import { readdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { TestInstance } from "./instance.ts";

/** Every row of every table as text, and on SQLite the raw database files (WAL included) too. */
export async function dumpDatabase(instance: TestInstance): Promise<string> {
  const parts: string[] = [];
  const tables = await instance.db.db.introspection.getTables();
  for (const table of tables) {
    if (instance.db.schema !== undefined && table.schema !== instance.db.schema) continue;
    const rows = await instance.db.db
      .selectFrom(table.name as "agents")
      .selectAll()
      .execute();
    parts.push(JSON.stringify(rows));
  }
  if (instance.config.db.dialect === "sqlite") {
    const dir = dirname(instance.config.db.path);
    for (const file of readdirSync(dir))
      parts.push(readFileSync(`${dir}/${file}`).toString("latin1"));
  }
  return parts.join("\n");
}
