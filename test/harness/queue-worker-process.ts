import process from "node:process";
import { parseDatabaseUrl } from "../../src/config/config.ts";
import { createDb } from "../../src/db/connect.ts";
import { KyselyMessageQueue } from "../../src/federation/stores/kysely-message-queue.ts";
import { createSecretBox } from "../../src/lib/secret-box.ts";

// A queue consumer in its own process, for tests that kill it mid-handler. It prints
// "handling <json>" when a handler starts, then never finishes that handler.

const db = await createDb(parseDatabaseUrl(process.env.DATABASE_URL ?? ""));
const queue = new KyselyMessageQueue(db.db, db.dialect, {
  visibilityTimeoutMs: Number(process.env.VISIBILITY_TIMEOUT_MS),
  pollIntervalMs: 50,
  box: createSecretBox(process.env.SECRET_KEY ?? "", "fedify-queue"),
});
await queue.listen(async (message) => {
  process.stdout.write(`handling ${JSON.stringify(message)}\n`);
  await new Promise(() => {});
});
