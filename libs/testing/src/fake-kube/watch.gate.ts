import type { WatchHub } from './watch.hub.js';

/**
 * Simulates a network partition between watchers and the server: pausing ends every open watch
 * and holds new ones until resumed, so writes and compaction can happen while clients are away.
 */
export class WatchGate {
  private paused = false;
  private readonly held: Array<() => void> = [];

  constructor(private readonly hub: WatchHub) {}

  admit(start: () => void): void {
    if (this.paused) this.held.push(start);
    else start();
  }

  pause(): void {
    this.paused = true;
    this.hub.closeAll();
  }

  resume(): void {
    this.paused = false;
    for (const start of this.held.splice(0)) start();
  }
}
