/**
 * Aborts when nothing has happened for `ms`: a total deadline would kill healthy multi-gigabyte
 * downloads, while a stalled connection should fail fast and be resumed.
 */
export class IdleTimeout {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  readonly signal: AbortSignal;

  constructor(
    readonly ms: number,
    parent: AbortSignal | undefined,
  ) {
    this.signal = parent === undefined ? this.controller.signal : AbortSignal.any([parent, this.controller.signal]);
    this.touch();
  }

  get timedOut(): boolean {
    return this.controller.signal.aborted;
  }

  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new Error(`no data for ${this.ms} ms`)), this.ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
