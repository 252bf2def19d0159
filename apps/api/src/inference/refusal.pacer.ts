/**
 * Paces refusals on a connection whose client ignores `Retry-After`.
 *
 * Under overload, a closed-loop client that resends the moment it is refused turns each refusal into the next
 * request, so however cheap a 503 is, such clients spend the cores on refusals that the served requests need
 * (on 2 cores, 8 of them sent ~700 refusals a second). The first refusal on a connection is sent at once; a
 * refusal on the same connection before the previous one's `Retry-After` has run out is held for the rest of it
 * (at most `maxHoldMs`), so the connection comes back no faster than it was asked to. A client that honours
 * `Retry-After`, or one on a fresh connection, is never held, and a held request is still answered 503, never
 * admitted late, so the hold never shows in a served request's latency.
 *
 * Keyed by the socket object in a WeakMap: a closed connection's entry goes with it.
 */
export class RefusalPacer {
  private readonly refusedUntil = new WeakMap<object, number>();

  constructor(private readonly maxHoldMs: number) {}

  /** Records a refusal on `connection` at `nowMs` and returns how long to hold it before it is sent. */
  holdMs(connection: object, nowMs: number, retryAfterSeconds: number): number {
    const until = this.refusedUntil.get(connection);
    const hold = until === undefined ? 0 : Math.min(Math.max(0, until - nowMs), this.maxHoldMs);
    this.refusedUntil.set(connection, nowMs + hold + retryAfterSeconds * 1000);
    return hold;
  }
}
