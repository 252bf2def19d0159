import { existsSync } from 'node:fs';
import { Browser, ConsoleMessage, Page, chromium } from 'playwright-core';

/** Debian's chromium (scripts/test.sh installs it with apt); playwright's own browser download is never used. */
export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run "sudo apt-get install chromium"`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

export interface PlaygroundPage {
  page: Page;
  /** console.error messages and uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Where the page keeps the API key (apps/playground/src/api/api-key.store.ts). */
const API_KEY_STORAGE = 'focal.playground.apiKey';

/**
 * A fresh context on /playground, collecting every console error and page error. With `apiKey`, the tab
 * starts with the key in sessionStorage, as after a user typed it in and reloaded.
 */
export async function openPlayground(browser: Browser, apiUrl: string, apiKey?: string): Promise<PlaygroundPage> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 820 } });
  if (apiKey) {
    await context.addInitScript(
      ([name, key]) => (globalThis as any).sessionStorage.setItem(name, key),
      [API_KEY_STORAGE, apiKey],
    );
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`page: ${error.message}`));
  await page.goto(`${apiUrl}/playground`);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, errors, close: () => context.close() };
}

export interface Pixels {
  width: number;
  height: number;
  data: number[];
}

/** The result canvas read back as RGBA. */
export async function canvasPixels(page: Page): Promise<Pixels> {
  // Runs in the page; the test project has no DOM typings, hence `any`.
  return page.evaluate(() => {
    const canvas = (globalThis as any).document.querySelector('[data-testid="result-canvas"]');
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return { width: canvas.width, height: canvas.height, data: Array.from(data as ArrayLike<number>) };
  });
}

export function pixelAt(pixels: Pixels, x: number, y: number): [number, number, number] {
  const i = (Math.floor(y) * pixels.width + Math.floor(x)) * 4;
  return [pixels.data[i], pixels.data[i + 1], pixels.data[i + 2]];
}

/** Runs the selected family and waits until the canvas says it holds that family's drawing (or an error). */
export async function runAndWait(page: Page, rendered: string, button = 'run-button'): Promise<void> {
  const before = Number((await page.getAttribute('[data-testid="result-canvas"]', 'data-renders')) ?? '0');
  await page.click(`[data-testid="${button}"]`);
  await page.waitForFunction(
    ([what, count]) => {
      const canvas = (globalThis as any).document.querySelector('[data-testid="result-canvas"]');
      return (
        canvas.dataset.rendered === 'error' ||
        (canvas.dataset.rendered === what && Number(canvas.dataset.renders) > count)
      );
    },
    [rendered, before] as const,
    { timeout: 60_000 },
  );
  const error = await page.textContent('[data-testid="error"]');
  if ((await page.getAttribute('[data-testid="result-canvas"]', 'data-rendered')) === 'error') {
    throw new Error(`the page shows an error: ${error}`);
  }
}
