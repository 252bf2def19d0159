/**
 * Pod IPs: 127.0.<subnet>.<2..254> per node, handed out round-robin so a freed address is not reused
 * at once (a client holding a stale endpoint then fails fast instead of reaching a different pod).
 */
export class PodIpAllocator {
  private readonly used = new Set<string>();
  private next = 2;

  constructor(private readonly subnet: number) {}

  take(): string {
    for (let tries = 0; tries < 253; tries++) {
      const ip = `127.0.${this.subnet}.${this.next}`;
      this.next = this.next >= 254 ? 2 : this.next + 1;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    throw new Error(`node subnet 127.0.${this.subnet}.0/24 has no free pod IP`);
  }

  release(ip: string): void {
    this.used.delete(ip);
  }
}
