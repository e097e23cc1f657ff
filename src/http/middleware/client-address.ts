import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/**
 * The socket's peer address. Behind a reverse proxy every request shares the proxy's address;
 * X-Forwarded-For is not trusted because any client can write it.
 */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}
