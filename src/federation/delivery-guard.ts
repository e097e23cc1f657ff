import { AsyncLocalStorage } from "node:async_hooks";
import type { MessageQueue } from "@fedify/fedify";
import { appLogger } from "../lib/logger.ts";
import { assertFetchable, type FetchGuard } from "./remote-fetch.ts";
import type { KyselyMessageQueue } from "./stores/kysely-message-queue.ts";

// Deliveries under the guard every other fetch goes through (remote-fetch.ts), hop by hop.
// NOTE: Fedify 2.3.6 POSTs activities with the global fetch (sendActivity → doubleKnock), takes
// no fetch of ours, and follows 3xx answers (307/308 keep the method and body) without checking
// where they lead. So while Fedify delivers for this instance, the global fetch checks each
// request it makes against this instance's guard; outside a delivery it changes nothing. See
// docs/decisions/0007-guarded-deliveries-and-verified-inbox-quotas.md.

const logger = appLogger("federation", "delivery");

interface DeliveryScope {
  readonly guard: FetchGuard;
  /** Why a request of this delivery was refused, if one was. */
  refused?: string;
}

const scopes = new AsyncLocalStorage<DeliveryScope>();
const HOOKED = Symbol.for("moltiverse.deliveryGuard");

type HookedFetch = typeof fetch & { [HOOKED]?: true };

/**
 * Runs `work` (which hands activities to Fedify) with every request it makes held to `guard`.
 * Returns why a request was refused, if one was; the refused request threw inside `work`.
 */
export async function underDeliveryGuard(
  guard: FetchGuard,
  work: () => Promise<void>,
): Promise<string | undefined> {
  hookGlobalFetch();
  const scope: DeliveryScope = { guard };
  try {
    await scopes.run(scope, work);
  } catch (error) {
    if (scope.refused === undefined) throw error;
  }
  return scope.refused;
}

/**
 * Wraps the global fetch once (again if something replaced it since, such as a test network).
 * Inside a delivery each hop is checked and redirects are never followed by fetch itself, so
 * Fedify sees every 3xx and asks again, through here.
 */
function hookGlobalFetch(): void {
  const current: HookedFetch = globalThis.fetch;
  if (current[HOOKED]) return;
  const hooked: HookedFetch = async (input, init) => {
    const scope = scopes.getStore();
    if (scope === undefined) return current(input, init);
    const request = new Request(input, init);
    try {
      await assertFetchable(scope.guard, new URL(request.url));
    } catch (error) {
      scope.refused ??= `${request.method} ${request.url} refused: ${String(error)}`;
      logger.warning("Refused to deliver to {url}: {error}", { url: request.url, error });
      throw error;
    }
    return current(new Request(request, { redirect: "manual" }));
  };
  hooked[HOOKED] = true;
  globalThis.fetch = hooked;
}

/**
 * The queue, with each delivery held to `guard`; a delivery refused by it is set aside as a
 * dead letter at once (retrying would be refused again).
 */
export function withGuardedDeliveries(
  inner: MessageQueue,
  queue: KyselyMessageQueue,
  guard: FetchGuard,
): MessageQueue {
  return {
    ...inner,
    listen: (handler, options) =>
      inner.listen(async (message) => {
        if ((message as { type?: unknown } | null)?.type !== "outbox") return handler(message);
        const refused = await underDeliveryGuard(guard, async () => {
          await handler(message);
        });
        if (refused !== undefined) queue.setAsideCurrent(`Not delivered: ${refused}`);
      }, options),
  };
}
