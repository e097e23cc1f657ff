import { Temporal as PolyfillTemporal } from "@js-temporal/polyfill";

/** A Temporal.Duration (polyfilled or native) or anything with the same `total` method. */
export interface DurationLikeValue {
  total(unit: "millisecond"): number;
}

/** Milliseconds in a Fedify duration (TTLs, queue delays are hours, minutes, seconds at most). */
export function durationToMs(duration: DurationLikeValue | undefined): number {
  return duration === undefined ? 0 : Math.max(0, duration.total("millisecond"));
}

/**
 * A Duration for Fedify's APIs. Node 24 has no global Temporal, so values come from the same
 * polyfill Fedify uses; Fedify's types name the global Temporal, hence the one cast, here.
 */
export function toDuration(fields: {
  hours?: number;
  minutes?: number;
  seconds?: number;
  milliseconds?: number;
}): Temporal.Duration {
  return PolyfillTemporal.Duration.from(fields) as unknown as Temporal.Duration;
}

/** An ISO-8601 timestamp as the Temporal.Instant Fedify's vocabulary expects. */
export function toInstant(iso: string): Temporal.Instant {
  return PolyfillTemporal.Instant.from(iso) as unknown as Temporal.Instant;
}
