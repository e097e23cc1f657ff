/** Time source, injectable so tests can fix "now". */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO-8601 UTC with milliseconds: the one timestamp format stored in the database. */
export function toTimestamp(date: Date): string {
  return date.toISOString();
}
