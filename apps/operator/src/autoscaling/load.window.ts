/**
 * The load samples of one ModelDeployment over the last `windowMs`: a simple moving average, as KubeAI's
 * autoscaler keeps, so one scrape that catches a momentary lull does not scale a busy model down.
 */
export class LoadWindow {
  private samples: Array<{ at: number; value: number }> = [];

  constructor(private readonly windowMs: number) {}

  add(at: number, value: number): void {
    this.samples.push({ at, value });
    this.samples = this.samples.filter((sample) => sample.at > at - this.windowMs);
  }

  get latest(): number {
    return this.samples.at(-1)?.value ?? 0;
  }

  get average(): number {
    if (this.samples.length === 0) return 0;
    return this.samples.reduce((sum, sample) => sum + sample.value, 0) / this.samples.length;
  }
}
