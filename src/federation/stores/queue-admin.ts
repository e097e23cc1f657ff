import { type Kysely, sql } from "kysely";
import type { Database } from "../../db/schema.ts";
import type { Clock } from "../../lib/clock.ts";
import type { SecretBox } from "../../lib/secret-box.ts";

// What an operator sees of the delivery queue, and what they may do with its dead letters.

export interface QueueStatus {
  readonly ready: number;
  readonly delayed: number;
  readonly inFlight: number;
  readonly dead: number;
  /** Outbox events written by the instance and not yet turned into activities. */
  readonly unpublishedEvents: number;
  /** Remote hosts with the most live or dead deliveries, busiest first. */
  readonly hosts: readonly HostStatus[];
}

export interface HostStatus {
  readonly host: string;
  readonly queued: number;
  readonly inFlight: number;
  readonly dead: number;
}

/** A delivery given up for good, with what is known of it (never its keys). */
export interface DeadLetter {
  readonly id: string;
  readonly deadAt: string;
  readonly queuedAt: string;
  readonly attempts: number;
  readonly reason: string | null;
  readonly host: string | null;
  readonly kind: string | null;
  readonly activityType: string | null;
  readonly activityId: string | null;
  readonly inbox: string | null;
}

/** Which dead letters a retry or drop applies to. */
export type DeadLetterSelection = "all" | readonly string[];

export interface QueueAdmin {
  status(): Promise<QueueStatus>;
  listDeadLetters(limit?: number): Promise<DeadLetter[]>;
  /** Queues the selected dead letters again, with a fresh retry horizon; returns how many. */
  retryDeadLetters(selection: DeadLetterSelection): Promise<number>;
  /** Deletes the selected dead letters; returns how many. */
  dropDeadLetters(selection: DeadLetterSelection): Promise<number>;
}

export interface QueueAdminDeps {
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
  readonly clock: Clock;
  /** Rewrites a message before it is queued again (forget state that made it fail for good). */
  readonly prepareRetry?: (message: Record<string, unknown>) => Record<string, unknown>;
}

export function createQueueAdmin(deps: QueueAdminDeps): QueueAdmin {
  const { db, box, clock } = deps;
  const deadRows = (selection: DeadLetterSelection) => {
    const query = db.selectFrom("fedify_queue").where("dead_at", "is not", null);
    return selection === "all" ? query : query.where("id", "in", [...selection, ""]);
  };
  return {
    async status() {
      const now = clock.now().toISOString();
      const totals = await db
        .selectFrom("fedify_queue")
        .select([
          countWhen(sql`dead_at is null and available_at <= ${now} and ${notLocked(now)}`, "ready"),
          countWhen(
            sql`dead_at is null and available_at > ${now} and ${notLocked(now)}`,
            "delayed",
          ),
          countWhen(sql`dead_at is null and locked_until > ${now}`, "in_flight"),
          countWhen(sql`dead_at is not null`, "dead"),
        ])
        .executeTakeFirstOrThrow();
      const hosts = await db
        .selectFrom("fedify_queue")
        .select([
          "target_host as host",
          countWhen(sql`dead_at is null`, "queued"),
          countWhen(sql`dead_at is null and locked_until > ${now}`, "in_flight"),
          countWhen(sql`dead_at is not null`, "dead"),
        ])
        .where("target_host", "is not", null)
        .groupBy("target_host")
        .orderBy(sql`count(*)`, "desc")
        .limit(10)
        .execute();
      const events = await db
        .selectFrom("outbox_events")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("published_at", "is", null)
        .executeTakeFirstOrThrow();
      return {
        ready: Number(totals.ready ?? 0),
        delayed: Number(totals.delayed ?? 0),
        inFlight: Number(totals.in_flight ?? 0),
        dead: Number(totals.dead ?? 0),
        unpublishedEvents: Number(events.n),
        hosts: hosts.map((h) => ({
          host: h.host ?? "",
          queued: Number(h.queued ?? 0),
          inFlight: Number(h.in_flight ?? 0),
          dead: Number(h.dead ?? 0),
        })),
      };
    },

    async listDeadLetters(limit = 100) {
      const rows = await deadRows("all")
        .selectAll()
        .orderBy("dead_at", "desc")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map((row) => {
        const message = openMessage(box, row.payload);
        return {
          id: row.id,
          deadAt: row.dead_at ?? "",
          queuedAt: row.created_at,
          attempts: row.attempts,
          reason: row.last_error,
          host: row.target_host,
          kind: stringField(message, "type"),
          activityType: stringField(message, "activityType"),
          activityId: stringField(message, "activityId"),
          inbox: stringField(message, "inbox"),
        };
      });
    },

    async retryDeadLetters(selection) {
      const rows = await deadRows(selection).select(["id", "payload"]).execute();
      const now = clock.now().toISOString();
      for (const row of rows) {
        const message = openMessage(box, row.payload);
        const payload =
          deps.prepareRetry === undefined || message === undefined
            ? row.payload
            : box.seal(JSON.stringify(deps.prepareRetry(message)));
        // A fresh created_at gives the message a fresh retry horizon.
        await db
          .updateTable("fedify_queue")
          .set({
            payload,
            dead_at: null,
            locked_until: null,
            attempts: 0,
            available_at: now,
            created_at: now,
          })
          .where("id", "=", row.id)
          .execute();
      }
      return rows.length;
    },

    async dropDeadLetters(selection) {
      const query = db.deleteFrom("fedify_queue").where("dead_at", "is not", null);
      const result = await (selection === "all"
        ? query
        : query.where("id", "in", [...selection, ""])
      ).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function notLocked(now: string) {
  return sql`(locked_until is null or locked_until <= ${now})`;
}

function countWhen<A extends string>(condition: ReturnType<typeof sql>, alias: A) {
  return sql<number>`sum(case when ${condition} then 1 else 0 end)`.as(alias);
}

function openMessage(box: SecretBox, payload: string): Record<string, unknown> | undefined {
  try {
    const message: unknown = JSON.parse(box.open(payload));
    return typeof message === "object" && message !== null
      ? (message as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function stringField(message: Record<string, unknown> | undefined, name: string): string | null {
  const value = message?.[name];
  return typeof value === "string" ? value : null;
}
