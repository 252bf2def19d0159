/** The current time, injectable so status and lease logic can be tested at fixed instants. */
export interface Clock {
  now(): Date;
}

export const SYSTEM_CLOCK: Clock = { now: () => new Date() };
