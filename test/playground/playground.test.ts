import { jest } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { FocalApi, startFocalApi } from '../support/focal-api.process.js';
import { postJson } from '../support/test-images.js';
import { dinov3DemoPatchToken, groundingDinoDemoExpectation } from '@focal/testing';
import { HalvesImage, cosine, sam3ExpectedMaskGrid, turboReference } from './support/demo.expectations.js';
import {
  PlaygroundPage,
  Pixels,
  canvasPixels,
  launchChromium,
  openPlayground,
  pixelAt,
  runAndWait,
} from './support/chromium.browser.js';
import { serveImage } from './support/image.server.js';
import { glbPositions, projectedExtent, viewerProjection } from './support/point-cloud.projection.js';

/*
 * The browser playground end to end: the real API (demo models, API keys on) serves /playground, a real
 * headless Chromium drives the page, and the drawn canvas is read back and compared with where each demo
 * model's closed form puts its output. One Focal and one browser for the file.
 */

const ADMIN_KEY = 'playground-admin-key';
const INFERENCE_KEY = 'playground-inference-key';
const HALVES: HalvesImage = { width: 320, height: 240, left: [255, 0, 0], right: [0, 0, 255] };
const GRADIENT = { width: 320, height: 240 };
/** FOCAL_PLAYGROUND_DOCS=1 also copies the screenshots into docs/playground/ (the README shows them). */
const DOCS_DIR = process.env.FOCAL_PLAYGROUND_DOCS ? resolve('docs/playground') : undefined;

// Each family's first request loads its demo model in a worker: slow on a busy 2-core machine.
jest.setTimeout(240_000);

let api: FocalApi;
let browser: Browser;
let artefacts: string;
let halvesPng: string;
let gradientPng: string;
let open: PlaygroundPage[] = [];

async function writePng(path: string, width: number, height: number, pixel: (x: number) => readonly number[]) {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x), (y * width + x) * 3);
  await sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toFile(path);
}

/** A page whose tab holds the admin key (sessionStorage, as the key field keeps it), a family and the image. */
async function pageWith(family: string, image: string, key = ADMIN_KEY): Promise<Page> {
  const playground = await openPlayground(browser, api.url, key);
  open.push(playground);
  const { page } = playground;
  await page.selectOption('[data-testid="family-select"]', family);
  await page.setInputFiles('[data-testid="image-input"]', image);
  await page.waitForSelector('[data-testid="result-canvas"][data-rendered="image"]');
  return page;
}

/** A screenshot of the result pane (or `what`) into the artefacts folder, and into docs/playground when asked. */
async function screenshot(page: Page, name: string, what = 'section.result', forDocs = true): Promise<void> {
  const path = join(artefacts, `${name}.png`);
  await page.locator(what).screenshot({ path });
  if (DOCS_DIR && forDocs) {
    mkdirSync(DOCS_DIR, { recursive: true });
    copyFileSync(path, join(DOCS_DIR, `${name}.png`));
  }
}

/** The 3D view's clear colour (0x101418). */
const GLB_BACKGROUND = [16, 20, 24];

/** The 3D view's WebGL canvas read back as RGBA (it keeps its drawing buffer, so it can be copied to a 2D canvas). */
async function glbCanvasPixels(page: Page): Promise<Pixels> {
  return page.evaluate(() => {
    const document = (globalThis as any).document;
    const source = document.querySelector('[data-testid="glb-canvas"]');
    const copy = document.createElement('canvas');
    copy.width = source.width;
    copy.height = source.height;
    const context = copy.getContext('2d');
    context.drawImage(source, 0, 0);
    const data = context.getImageData(0, 0, copy.width, copy.height).data;
    return { width: copy.width, height: copy.height, data: Array.from(data as ArrayLike<number>) };
  });
}

const same = (a: readonly number[], b: readonly number[], tolerance = 0) =>
  a.every((v, i) => Math.abs(v - b[i]) <= tolerance);

beforeAll(async () => {
  artefacts = mkdtempSync(join(tmpdir(), 'focal-playground-'));
  // Printed so a failing run's screenshots can be found.
  process.stdout.write(`playground screenshots: ${artefacts}\n`);
  halvesPng = join(artefacts, 'halves.png');
  gradientPng = join(artefacts, 'gradient.png');
  await writePng(halvesPng, HALVES.width, HALVES.height, (x) => (x < HALVES.width / 2 ? HALVES.left : HALVES.right));
  // Grey from 0 at the left to 255 at the right: demo depth is the channel mean, so it rises linearly with x.
  await writePng(gradientPng, GRADIENT.width, GRADIENT.height, (x) => {
    const v = Math.round((255 * x) / (GRADIENT.width - 1));
    return [v, v, v];
  });
  [api, browser] = await Promise.all([
    // Private URLs allowed so that the API may fetch the test's image server on 127.0.0.1.
    startFocalApi({
      FOCAL_API_KEYS: `admin:${ADMIN_KEY},inference:${INFERENCE_KEY}`,
      FOCAL_ALLOW_PRIVATE_URLS: 'true',
    }),
    launchChromium(),
  ]);
});

/** Chromium logs each 4xx response as a console error; the auth test expects exactly those. */
let expectedErrors: RegExp | undefined;

afterEach(async () => {
  // Every page of a test must have run without a console error or an uncaught exception.
  const errors = open.flatMap((p) => p.errors).filter((e) => !expectedErrors?.test(e));
  expectedErrors = undefined;
  await Promise.all(open.map((p) => p.close()));
  open = [];
  expect(errors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await api?.stop();
});

describe('the browser playground in headless Chromium, against Focal with demo models', () => {
  it('is served by the API from the built bundle, open without a key, with a same-origin CSP', async () => {
    const page = await fetch(`${api.url}/playground`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/connect-src 'self'/);
    const html = await page.text();
    expect(html).toContain('data-testid="family-select"');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const script = await fetch(`${api.url}/playground/main.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(100_000); // three.js is bundled, not fetched
    const missing = await fetch(`${api.url}/playground/..%2Fpackage.json`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: expect.stringMatching(/no playground asset/) });
  });

  it('offers the four families and the stable hooks', async () => {
    const playground = await openPlayground(browser, api.url, ADMIN_KEY);
    open.push(playground);
    const { page } = playground;
    const values = await page.$$eval('[data-testid="family-select"] option', (options) =>
      options.map((o) => (o as any).value),
    );
    expect(values).toEqual(['sam3', 'grounding_dino', 'depth_anything', 'dinov3']);
    for (const id of ['image-input', 'prompt-input', 'run-button', 'result-canvas', 'result-json', 'status-table']) {
      expect(await page.locator(`[data-testid="${id}"]`).count()).toBe(1);
    }
    expect(await page.getAttribute('[data-testid="image-input"]', 'type')).toBe('file');
  });

  it('SAM3: masks (RLE and polygons) are drawn where the closed form puts them, and toggle per instance', async () => {
    const page = await pageWith('sam3', halvesPng);
    await page.fill('[data-testid="prompt-input"]', 'cat');
    await page.fill('[data-testid="threshold-input"]', '0.5');
    await page.selectOption('[data-testid="output-format-select"]', 'rle');
    await runAndWait(page, 'sam3');
    await screenshot(page, 'sam3');

    // "cat" is one token: start, cat, end → n = 3 real tokens.
    const expected = sam3ExpectedMaskGrid(HALVES, 3, 0.5);
    expect(expected.fired.length).toBeGreaterThan(0);
    const pixels = await canvasPixels(page);
    expect([pixels.width, pixels.height]).toEqual([HALVES.width, HALVES.height]);
    const { tinted, untouched } = compareWithGrid(pixels, expected.union, expected.size);
    expect(tinted.mismatches).toBe(0);
    expect(untouched.mismatches).toBe(0);
    expect(tinted.checked).toBeGreaterThan(1000);

    const json = JSON.parse((await page.textContent('[data-testid="result-json"]'))!);
    expect(json.processing_time).toEqual(expect.any(Number));
    expect(json.results[0][0].mask).toEqual({ size: [240, 320], counts: expect.any(String) });

    // Polygon outlines are rasterised to the very same pixels (dense masks: apps/playground decoder specs).
    for (const format of ['polygons']) {
      await page.selectOption('[data-testid="output-format-select"]', format);
      await runAndWait(page, 'sam3');
      expect((await canvasPixels(page)).data).toEqual(pixels.data);
    }

    // Hiding every instance gives back the image untouched.
    const toggles = page.locator('[data-testid="instance-toggle"]');
    expect(await toggles.count()).toBe(json.results[0].length);
    for (let i = 0; i < (await toggles.count()); i++) await toggles.nth(i).uncheck();
    const hidden = await canvasPixels(page);
    expect(same(pixelAt(hidden, 300, 120), HALVES.right)).toBe(true);
    expect(same(pixelAt(hidden, 20, 120), HALVES.left)).toBe(true);
  });

  it('Grounding DINO: the closed-form box is outlined at its place, with its label', async () => {
    const page = await pageWith('grounding_dino', halvesPng);
    await page.fill('[data-testid="prompt-input"]', 'cat');
    await page.fill('[data-testid="box-threshold-input"]', '0.9');
    await runAndWait(page, 'grounding_dino');
    await screenshot(page, 'grounding-dino');

    // Queries 0, 1 and 2 fire on "cat", "." and [SEP] with logit 3: all three boxes answer the one prompt.
    const channelMeans = [0, 1, 2].map((c) => (HALVES.left[c] + HALVES.right[c]) / 2) as [number, number, number];
    const expected = groundingDinoDemoExpectation({
      width: HALVES.width,
      height: HALVES.height,
      channelMeans,
      prompts: ['cat'],
      boxThreshold: 0.9,
      textThreshold: 0.25,
    });
    expect(expected.map((b) => b.query)).toEqual([0, 1, 2]);
    const json = JSON.parse((await page.textContent('[data-testid="result-json"]'))!);
    const boxes = json.results[0].boxes;
    expect(boxes.map((b: any) => b.label)).toEqual(['cat', 'cat', 'cat']);
    for (const { box } of expected) {
      const answered = boxes.find((b: any) => Math.abs(b.box[0] - box[0]) < 1e-3 && Math.abs(b.box[1] - box[1]) < 1e-3);
      expect(answered?.box).toEqual(box.map((v) => expect.closeTo(v, 3)));
    }

    // Each box is outlined in the one colour of its label; inside, the image shows through.
    const pixels = await canvasPixels(page);
    const colour = pixelAt(pixels, expected[0].box[0], (expected[0].box[1] + expected[0].box[3]) / 2);
    expect(same(colour, HALVES.left, 40) || same(colour, HALVES.right, 40)).toBe(false);
    for (const { box } of expected) {
      const [x1, y1, x2, y2] = box;
      // The bottom, left and right edges (the label tag sits on the top one).
      for (const [x, y] of [
        [(x1 + x2) / 2, y2],
        [x1, (y1 + y2) / 2],
        [x2, (y1 + y2) / 2],
      ]) {
        expect(same(pixelAt(pixels, x, y), colour, 2)).toBe(true);
      }
    }
    const [x1, y1, x2, y2] = expected[0].box;
    expect(same(pixelAt(pixels, (x1 + x2) / 2, (y1 + 3 * y2) / 4), HALVES.left)).toBe(true);
  });

  it('Depth Anything: a Turbo map that follows the gradient, a min/max legend, and the GLB in 3D', async () => {
    const page = await pageWith('depth_anything', gradientPng);
    await page.selectOption('[data-testid="export-format-select"]', 'glb');
    await runAndWait(page, 'depth_anything');
    await screenshot(page, 'depth-anything');

    const pixels = await canvasPixels(page);
    expect([pixels.width, pixels.height]).toEqual([GRADIENT.width, GRADIENT.height]);
    // Demo depth = mean of the normalised channels + 3, linear in the grey level, so t = x / (W − 1).
    const samples = [0.05, 0.25, 0.5, 0.75, 0.95].map((t) => pixelAt(pixels, t * (GRADIENT.width - 1), 120));
    [0.05, 0.25, 0.5, 0.75, 0.95].forEach((t, i) => expect(samples[i]).toEqual(closeToRgb(turboReference(t), 12)));
    expect(new Set(samples.map((s) => s.join())).size).toBe(samples.length);

    const legend = await page.textContent('[data-testid="legend"]');
    const json = JSON.parse((await page.textContent('[data-testid="result-json"]'))!);
    expect(legend).toContain(`min ${json.metadata.min.toPrecision(4)}`);
    expect(legend).toContain(`max ${json.metadata.max.toPrecision(4)}`);
    expect(json.metadata.max).toBeGreaterThan(json.metadata.min);
    // The GLB view: three.js in a WebGL canvas (Chromium's software WebGL here), framed on the cloud.
    expect(await page.locator('[data-testid="glb-canvas"]').count()).toBe(1);
    await screenshot(page, 'depth-anything-glb', '[data-testid="glb-view"]', false);
    const drawn = await glbCanvasPixels(page);
    // The same request as the page's, so the same GLB (the demo model is deterministic): where its points must land.
    const response = await postJson(
      `${api.url}/inference/depth-anything`,
      { images: [readFileSync(gradientPng).toString('base64')], export_format: 'glb' },
      { authorization: `Bearer ${ADMIN_KEY}` },
    );
    expect(response.status).toBe(200);
    const projected = viewerProjection(
      glbPositions(Buffer.from(response.body.glb_data, 'base64')),
      drawn.width,
      drawn.height,
    );
    const isPoint = (x: number, y: number) => !same(pixelAt(drawn, x, y), GLB_BACKGROUND, 3);
    const columns = Array.from({ length: drawn.width }, (_, x) => x).filter((x) =>
      Array.from({ length: drawn.height }, (_, y) => y).some((y) => isPoint(x, y)),
    );
    const left = Math.min(...projected.map((p) => p.x));
    const right = Math.max(...projected.map((p) => p.x));
    expect(Math.abs(columns[0] - left)).toBeLessThanOrEqual(3);
    expect(Math.abs(columns[columns.length - 1] - right)).toBeLessThanOrEqual(3);
    // Depth varies along x, so the cloud is drawn as a trapezoid, not a rectangle: each column's height follows
    // the perspective of its points' depth. Checked near both ends and in the middle, on canvas columns that points
    // fall in (where the cloud is near, its columns are drawn with gaps between them).
    const pointColumns = [...new Set(projected.map((p) => Math.floor(p.x)))];
    const nearest = (target: number) =>
      pointColumns.reduce((best, x) => (Math.abs(x - target) < Math.abs(best - target) ? x : best));
    const probes = [nearest(left + 3), nearest((left + right) / 2), nearest(right - 3)];
    for (const x of probes) {
      const expected = projectedExtent(projected, x)!;
      const rows = Array.from({ length: drawn.height }, (_, y) => y).filter((y) => isPoint(x, y));
      expect(Math.abs(rows[0] - expected.top)).toBeLessThanOrEqual(3);
      expect(Math.abs(rows[rows.length - 1] - expected.bottom)).toBeLessThanOrEqual(3);
    }
    const heights = [probes[0], probes[2]].map((x) => {
      const e = projectedExtent(projected, x)!;
      return e.bottom - e.top;
    });
    expect(Math.abs(heights[0] - heights[1])).toBeGreaterThan(20);
    // Colours are the image's: black points on the left, white on the right.
    const middle = Math.round(drawn.height / 2);
    expect(Math.max(...pixelAt(drawn, columns[0] + 1, middle))).toBeLessThan(40);
    expect(Math.min(...pixelAt(drawn, columns[columns.length - 1] - 1, middle))).toBeGreaterThan(215);
  });

  it('DINOv3: PCA of the patch tokens as RGB, and a click gives that patch’s cosine-similarity map', async () => {
    const page = await pageWith('dinov3', halvesPng);
    await runAndWait(page, 'dinov3');
    await screenshot(page, 'dinov3-pca');

    const pca = await canvasPixels(page);
    // 224² input, 14×14 patches: the halves are patch columns 0–6 and 7–13; each half is one token, so one colour.
    const left = pixelAt(pca, 40, 120);
    const right = pixelAt(pca, 280, 120);
    expect(same(left, pixelAt(pca, 100, 20), 1)).toBe(true);
    expect(same(right, pixelAt(pca, 200, 220), 1)).toBe(true);
    expect(same(left, right, 60)).toBe(false);

    const box = (await page.locator('[data-testid="result-canvas"]').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.1, box.y + box.height * 0.5);
    await page.waitForSelector('[data-testid="result-canvas"][data-rendered="dinov3-similarity"]');
    await screenshot(page, 'dinov3-similarity');
    const heat = await canvasPixels(page);
    const similarity = cosine(dinov3DemoPatchToken(HALVES.left), dinov3DemoPatchToken(HALVES.right));
    expect(pixelAt(heat, 40, 120)).toEqual(closeToRgb(turboReference(1), 1));
    expect(pixelAt(heat, 280, 120)).toEqual(closeToRgb(turboReference((similarity + 1) / 2), 1));
  });

  it('takes the image by drag and drop, by paste, and by URL (drawn by the page, fetched by the API)', async () => {
    const page = await pageWith('dinov3', gradientPng);
    const topLeft = async () => pixelAt(await canvasPixels(page), 10, 10);
    // The grey ramp at x = 10: round(255 · 10 / 319) = 8.
    const rampAt10 = [8, 8, 8] as const;
    expect(await topLeft()).toEqual(rampAt10);

    const events = { drop: 'drop-zone', paste: 'document' };
    for (const [kind, png, expected] of [
      ['drop', halvesPng, HALVES.left],
      ['paste', gradientPng, rampAt10],
    ] as const) {
      await page.evaluate(
        ([type, target, base64]) => {
          const doc = (globalThis as any).document;
          const bytes = Uint8Array.from((globalThis as any).atob(base64), (c: string) => c.charCodeAt(0));
          const transfer = new (globalThis as any).DataTransfer();
          transfer.items.add(new (globalThis as any).File([bytes], 'image.png', { type: 'image/png' }));
          const element = target === 'document' ? doc : doc.querySelector(`[data-testid="${target}"]`);
          const init = { bubbles: true, cancelable: true };
          const Event = type === 'drop' ? (globalThis as any).DragEvent : (globalThis as any).ClipboardEvent;
          element.dispatchEvent(
            new Event(
              type,
              type === 'drop' ? { ...init, dataTransfer: transfer } : { ...init, clipboardData: transfer },
            ),
          );
        },
        [kind, events[kind], readFileSync(png).toString('base64')] as const,
      );
      await page.waitForFunction((rgb) => {
        const canvas = (globalThis as any).document.querySelector('[data-testid="result-canvas"]');
        const data = canvas.getContext('2d').getImageData(10, 10, 1, 1).data;
        return [0, 1, 2].every((c) => data[c] === rgb[c]);
      }, expected);
    }

    const server = await serveImage(readFileSync(halvesPng));
    try {
      await page.fill('[data-testid="url-input"]', server.url);
      await page.dispatchEvent('[data-testid="url-input"]', 'change');
      await page.waitForFunction(() => {
        const canvas = (globalThis as any).document.querySelector('[data-testid="result-canvas"]');
        return canvas.width === 320 && canvas.getContext('2d').getImageData(10, 10, 1, 1).data[0] === 255;
      });
      await runAndWait(page, 'dinov3');
      // The browser drew it, and the API fetched it itself for inference (Node's fetch, not Chromium).
      expect(server.userAgents.some((agent) => /Chrome/.test(agent))).toBe(true);
      expect(server.userAgents.some((agent) => !/Chrome/.test(agent))).toBe(true);
      expect(same(pixelAt(await canvasPixels(page), 40, 120), pixelAt(await canvasPixels(page), 280, 120), 60)).toBe(
        false,
      );
    } finally {
      await server.close();
    }
  });

  it('submits a job and shows its live status until the result is drawn', async () => {
    const page = await pageWith('depth_anything', gradientPng);
    const seen = new Set<string>();
    page.on('response', async (response) => {
      if (/\/jobs\/[0-9a-f-]+$/.test(response.url())) seen.add((await response.json()).status);
    });
    await runAndWait(page, 'depth_anything', 'submit-job-button');
    expect(await page.getAttribute('[data-testid="job-status"]', 'data-status')).toBe('completed');
    expect(await page.textContent('[data-testid="job-status"]')).toMatch(/^job [0-9a-f-]+: completed/);
    expect(seen.has('completed')).toBe(true);
    const pixels = await canvasPixels(page);
    expect(pixelAt(pixels, 0.95 * 319, 120)).toEqual(closeToRgb(turboReference(0.95), 12));
  });

  it('lists every model in the status table, and loads and unloads from it', async () => {
    const page = await pageWith('dinov3', halvesPng);
    const table = page.locator('[data-testid="status-table"]');
    await page.waitForSelector('[data-testid="status-table"] tr[data-family="sam3"]');
    for (const family of ['sam3', 'grounding_dino', 'depth_anything', 'dinov3']) {
      expect(await table.locator(`tr[data-family="${family}"]`).count()).toBe(1);
    }
    await page.click('[data-testid="unload-dinov3"]');
    await page.waitForSelector('[data-testid="status-table"] tr[data-family="dinov3"][data-state="unloaded"]');
    await page.click('[data-testid="load-dinov3"]');
    await page.waitForSelector('[data-testid="status-table"] tr[data-family="dinov3"][data-state="ready"]', {
      timeout: 60_000,
    });
  });

  it('auth: without a key the 401 detail is shown; an inference key runs but gets the 403 on /models; a key survives a reload', async () => {
    expectedErrors = /^console: Failed to load resource: the server responded with a status of (401|403)/;
    const page = await pageWith('dinov3', halvesPng, '');
    await page.click('[data-testid="run-button"]');
    await page.waitForSelector('[data-testid="result-canvas"][data-rendered="error"]');
    expect(await page.textContent('[data-testid="error"]')).toContain('401 Unauthorized: API key required');
    expect(await page.textContent('[data-testid="status-table"]')).toContain('401 Unauthorized');

    await page.fill('[data-testid="api-key-input"]', INFERENCE_KEY);
    await runAndWait(page, 'dinov3');
    expect(await page.isHidden('[data-testid="error"]')).toBe(true);
    await page.dispatchEvent('[data-testid="api-key-input"]', 'change');
    await page.waitForFunction(() =>
      (globalThis as any).document.querySelector('[data-testid="status-table"]').textContent.includes('403'),
    );
    expect(await page.textContent('[data-testid="status-table"]')).toContain(
      '403 Forbidden: this route needs an admin API key',
    );

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.inputValue('[data-testid="api-key-input"]')).toBe(INFERENCE_KEY);
  });
});

/** Canvas pixels against a mask grid: inside → tinted (differs from the image), outside → the image as is. */
function compareWithGrid(pixels: Pixels, grid: Uint8Array, size: number) {
  const tinted = { checked: 0, mismatches: 0 };
  const untouched = { checked: 0, mismatches: 0 };
  for (let y = 0; y < pixels.height; y += 3) {
    for (let x = 0; x < pixels.width; x += 3) {
      // Skip pixels within two of the half boundary, where resizing blends the two colours.
      if (Math.abs(x + 0.5 - pixels.width / 2) < 3) continue;
      const inside = grid[Math.floor((y * size) / pixels.height) * size + Math.floor((x * size) / pixels.width)] === 1;
      const original = x < pixels.width / 2 ? HALVES.left : HALVES.right;
      const isOriginal = same(pixelAt(pixels, x, y), original);
      const bucket = inside ? tinted : untouched;
      bucket.checked++;
      if (inside === isOriginal) bucket.mismatches++;
    }
  }
  return { tinted, untouched };
}

/** An RGB triple within `tolerance` levels per channel (an asymmetric matcher per channel). */
function closeToRgb(expected: readonly number[], tolerance: number) {
  return expected.map((v) => ({
    asymmetricMatch: (actual: number) => Math.abs(actual - v) <= tolerance,
    toAsymmetricMatcher: () => `${v}±${tolerance}`,
  }));
}
