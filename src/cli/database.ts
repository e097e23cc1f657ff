import { resolve } from "node:path";
import type { Config } from "../config/config.ts";
import { ConfigError } from "../config/config.ts";
import { backupSqlite } from "../db/backup.ts";
import { createDb } from "../db/connect.ts";
import { copySqliteToPostgres } from "../db/copy.ts";
import { migrateToLatest } from "../db/migrate.ts";
import type { Output } from "./output.ts";

export const DATABASE_USAGE = `  backup <file>                     consistent copy of the live SQLite database into a new file
  copy-to-postgres <postgres-url>   copy this SQLite instance into an empty PostgreSQL database,
                                    verifying every table's row count`;

export async function backup(config: Config, args: readonly string[], out: Output): Promise<void> {
  const [file] = args;
  if (file === undefined || args.length > 1) throw new ConfigError("Usage: backup <file>");
  const db = await createDb(config.db);
  try {
    await backupSqlite(db, resolve(file));
    out.line(
      `Backed up to ${resolve(file)}. Keep it with the secret key (${config.dataDir}/secret.key or SECRET_KEY).`,
    );
  } finally {
    await db.close();
  }
}

export async function copyToPostgres(
  config: Config,
  args: readonly string[],
  out: Output,
): Promise<void> {
  const [url] = args;
  if (url === undefined || args.length > 1 || !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError("Usage: copy-to-postgres postgres://user:password@host:5432/db");
  }
  if (config.db.dialect !== "sqlite") {
    throw new ConfigError("DATABASE_URL must name the SQLite database to copy from");
  }
  const source = await createDb(config.db);
  const target = await createDb({ dialect: "postgres", url });
  try {
    await migrateToLatest(target);
    let total = 0;
    const copied = await copySqliteToPostgres(source, target, ({ table, rows }) => {
      total += rows;
      out.line(`${table}: ${rows} rows`);
    });
    out.line(
      `Copied and verified ${copied.length} tables, ${total} rows, into ${withoutPassword(url)}.`,
    );
    out.line("Start the instance with that DATABASE_URL and the same SECRET_KEY.");
  } finally {
    await source.close();
    await target.close();
  }
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  return parsed.href;
}
