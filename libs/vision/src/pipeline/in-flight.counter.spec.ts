import { InFlightCounter } from './in-flight.counter.js';

describe('InFlightCounter', () => {
  it('counts work while it runs and releases it on success and on failure', async () => {
    const counter = new InFlightCounter();
    let release!: () => void;
    const running = counter.around(() => new Promise<void>((done) => (release = done)));
    const failing = counter.around(async () => {
      throw new Error('bad image');
    });
    expect(counter.inFlight()).toBe(2);
    await expect(failing).rejects.toThrow('bad image');
    expect(counter.inFlight()).toBe(1);
    release();
    await running;
    expect(counter.inFlight()).toBe(0);
  });
});
