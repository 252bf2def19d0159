import { LoadWindow } from './load.window.js';

describe('LoadWindow', () => {
  it('is zero before any sample', () => {
    const window = new LoadWindow(10_000);
    expect(window.latest).toBe(0);
    expect(window.average).toBe(0);
  });

  it('averages the samples of the last window and keeps the newest', () => {
    const window = new LoadWindow(10_000);
    window.add(0, 9);
    window.add(5_000, 3);
    window.add(9_000, 0);
    expect(window.average).toBe(4);
    expect(window.latest).toBe(0);
    window.add(10_000, 0); // the sample at 0 leaves the window
    expect(window.average).toBe(1);
  });
});
