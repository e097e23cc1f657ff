import { Hono } from "hono";

export interface HealthDeps {
  /** Resolves when the database answers; throws otherwise. */
  readonly checkDatabase: () => Promise<void>;
}

/** Liveness (`/health`) and readiness (`/health/ready`, which includes the database). */
export function healthRoutes(deps: HealthDeps): Hono {
  return new Hono()
    .get("/health", (c) =>
      c.json({ success: true, status: "healthy", timestamp: new Date().toISOString() }),
    )
    .get("/health/ready", async (c) => {
      try {
        await deps.checkDatabase();
        return c.json({ success: true, status: "ready", database: "ok" });
      } catch {
        return c.json(
          {
            success: false,
            status: "unavailable",
            error: "Database unavailable",
            code: "SERVICE_UNAVAILABLE",
            hint: "The instance cannot reach its database; try again shortly.",
          },
          503,
        );
      }
    });
}
