import type { Federation, FederationOptions } from "@fedify/fedify";
import { FetchError } from "@fedify/vocab-runtime";
import type { DeliveryConfig } from "../config/config.ts";
import { nextRetryDelay } from "../domain/retry.ts";
import { appLogger } from "../lib/logger.ts";
import { durationToMs, toDuration } from "../lib/temporal.ts";
import type { ServiceContext } from "../services/context.ts";
import { removeGoneRemoteActor } from "../services/remote-follows.ts";
import { createGuardedLoader, type FetchGuard } from "./remote-fetch.ts";
import type { KyselyMessageQueue } from "./stores/kysely-message-queue.ts";

const logger = appLogger("federation", "delivery");

/** Followers of one inbox checked for being gone after a 404 or 410 (the rest wait for later). */
const MAX_GONE_CHECKS = 100;

type DeliveryOptions = Pick<FederationOptions<void>, "outboxRetryPolicy" | "circuitBreaker">;

/**
 * How Fedify retries and holds deliveries, given our queue. Ordinary failures are thrown to the
 * queue, which retries on `config.retry` (nativeRetrial). Fedify still schedules the retries a
 * remote asks for (429/503 with Retry-After) with this policy, and holds deliveries to a host
 * whose circuit is open (five failures in ten minutes) for at most the same horizon.
 */
export function deliveryOptions(
  config: DeliveryConfig,
  queue: KyselyMessageQueue | undefined,
): DeliveryOptions {
  return {
    outboxRetryPolicy: ({ elapsedTime, attempts }) => {
      const delay = nextRetryDelay(config.retry, attempts + 1, durationToMs(elapsedTime));
      if (delay !== undefined) return toDuration({ milliseconds: delay });
      queue?.setAsideCurrent(
        `Gave up after ${attempts + 1} attempts: the remote kept asking to wait`,
      );
      return null;
    },
    circuitBreaker: {
      recoveryDelay: toDuration({ milliseconds: config.circuitRecoveryMs }),
      heldActivityTtl: toDuration({ milliseconds: config.retry.horizonMs }),
      onStateChange: (host, from, to) => {
        logger.warning("Deliveries to {host}: circuit {from} → {to}", { host, from, to });
      },
    },
  };
}

export interface DeliveryFailureDeps {
  readonly queue: KyselyMessageQueue | undefined;
  readonly services: ServiceContext;
  readonly fetchGuard: FetchGuard;
}

/**
 * Deliveries given up for good become dead letters with their reason. A recipient whose inbox
 * answered 404 or 410 is checked, and if its actor is gone too, it stops following and
 * subscribing here, so nothing more is sent to it.
 */
export function registerDeliveryFailures(
  federation: Federation<void>,
  deps: DeliveryFailureDeps,
): void {
  federation.setOutboxPermanentFailureHandler(async (_ctx, failure) => {
    if (failure.reason === "circuit-breaker-ttl") {
      deps.queue?.setAsideCurrent(
        `${failure.inbox.host} stayed unreachable; held since ${failure.circuitHeldSince}, given up`,
      );
      return;
    }
    const gone = await goneActors(failure.actorIds, deps.fetchGuard);
    let ended = 0;
    for (const actor of gone) ended += await removeGoneRemoteActor(deps.services, actor.href);
    deps.queue?.setAsideCurrent(
      `HTTP ${failure.statusCode} from ${failure.inbox.href}; ${gone.length} of ` +
        `${failure.actorIds.length} recipients gone, ${ended} follows and subscriptions ended`,
    );
  });
}

/** The actors among `ids` whose own URL now answers 404 or 410 (fetched afresh, not cached). */
async function goneActors(ids: readonly URL[], guard: FetchGuard): Promise<URL[]> {
  if (ids.length > MAX_GONE_CHECKS) {
    logger.info("Checking {checked} of {total} recipients of a failed inbox for being gone", {
      checked: MAX_GONE_CHECKS,
      total: ids.length,
    });
  }
  const load = createGuardedLoader(guard);
  const gone: URL[] = [];
  for (const id of ids.slice(0, MAX_GONE_CHECKS)) {
    try {
      await load(id.href);
    } catch (error) {
      const status = error instanceof FetchError ? error.response?.status : undefined;
      if (status === 404 || status === 410) gone.push(id);
    }
  }
  return gone;
}

/**
 * A dead letter queued again by an operator starts afresh. NOTE: Fedify marks a message held by
 * an open circuit with `circuitHeld`/`circuitHeldSince`, and drops it at once when that time is
 * older than the horizon, even if the host has recovered; a retry forgets the hold.
 */
export function forgetCircuitHold(message: Record<string, unknown>): Record<string, unknown> {
  const { circuitHeld: _held, circuitHeldSince: _since, ...rest } = message;
  return rest;
}
