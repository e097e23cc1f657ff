import process from "node:process";
import { ConfigError } from "../config/config.ts";
import { loadConfig } from "../config/load.ts";
import { createDb } from "../db/connect.ts";
import { applied, createMigrator, runMigrations } from "../db/migrate.ts";

// `npm run migrate` (up), `npm run migrate:down` (one step back), `node src/cli/migrate.ts status`.

const USAGE = "Usage: node src/cli/migrate.ts up|down|status";

async function run(command: string | undefined): Promise<void> {
  if (command !== "up" && command !== "down" && command !== "status") throw new ConfigError(USAGE);
  const { config } = loadConfig(process.env);
  const db = await createDb(config.db);
  try {
    const migrator = createMigrator(db.db, db.dialect, db.schema);
    if (command === "status") {
      for (const m of await migrator.getMigrations()) {
        process.stdout.write(`${m.executedAt === undefined ? "pending " : "applied "} ${m.name}\n`);
      }
      return;
    }
    const names = applied(
      await runMigrations(db, (m) => (command === "up" ? m.migrateToLatest() : m.migrateDown())),
    );
    const verb = command === "up" ? "Applied" : "Reverted";
    process.stdout.write(names.length === 0 ? "Nothing to do\n" : `${verb}: ${names.join(", ")}\n`);
  } finally {
    await db.close();
  }
}

run(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
