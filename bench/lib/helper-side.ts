import process from "node:process";

type Handlers = Record<string, (message: Record<string, unknown>) => Promise<unknown> | unknown>;

/**
 * The child half of startHelper: answers `{ id, op, ... }` messages with the handler named by
 * `op`, after saying `{ ready: true, ...ready }`. Exits on SIGTERM or when the parent goes.
 */
export function serveHelper(handlers: Handlers, ready: Record<string, unknown> = {}): void {
  process.on("message", (message: Record<string, unknown>) => {
    const handler = handlers[String(message.op)];
    Promise.resolve()
      .then(() => {
        if (handler === undefined) throw new Error(`unknown op ${String(message.op)}`);
        return handler(message);
      })
      .then(
        (result) => process.send?.({ id: message.id, result: result ?? null }),
        (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
      );
  });
  process.on("SIGTERM", () => process.exit(0));
  process.on("disconnect", () => process.exit(0));
  process.send?.({ ready: true, ...ready });
}
