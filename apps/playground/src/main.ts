import { readApiKey, saveApiKey } from './api/api-key.store.js';
import type {
  DepthResponse,
  Dinov3Response,
  Family,
  GroundingDinoResponse,
  ImageInput,
  Sam3Response,
  Timed,
} from './api/client.types.js';
import { ApiError, FocalClient } from './api/focal.client.js';
import { pollJob } from './api/job.poller.js';
import { base64ToBytes } from './decode/base64.js';
import { decodeDepthPng } from './decode/depth-png.decoder.js';
import { PatchGrid, patchAt, patchGrid } from './math/patch.grid.js';
import { drawBoxes } from './render/boxes.view.js';
import { BaseImage, drawBase } from './render/canvas.base.js';
import { drawDepth, renderDepthLegend, renderTurboLegend } from './render/depth.view.js';
import { drawPatchPca, drawPatchSimilarity } from './render/features.view.js';
import { GlbView, showGlb, webglAvailable } from './render/glb.viewer.js';
import { cssColour } from './render/prompt.colours.js';
import { Sam3Instance, drawSam3, sam3Instances } from './render/sam3.view.js';
import { ImageSource, dataUrlOf, watchImageSources } from './ui/image.source.js';
import { summariseJson } from './ui/json.summary.js';
import { renderStatusTable } from './ui/status.table.js';

const byTestId = <T extends HTMLElement>(id: string): T => {
  const element = document.querySelector<T>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`the page has no [data-testid="${id}"]`);
  return element;
};

const ui = {
  apiKey: byTestId<HTMLInputElement>('api-key-input'),
  family: byTestId<HTMLSelectElement>('family-select'),
  fileInput: byTestId<HTMLInputElement>('image-input'),
  dropZone: byTestId<HTMLElement>('drop-zone'),
  urlInput: byTestId<HTMLInputElement>('url-input'),
  prompts: byTestId<HTMLInputElement>('prompt-input'),
  threshold: byTestId<HTMLInputElement>('threshold-input'),
  maskThreshold: byTestId<HTMLInputElement>('mask-threshold-input'),
  outputFormat: byTestId<HTMLSelectElement>('output-format-select'),
  boxThreshold: byTestId<HTMLInputElement>('box-threshold-input'),
  textThreshold: byTestId<HTMLInputElement>('text-threshold-input'),
  exportFormat: byTestId<HTMLSelectElement>('export-format-select'),
  registers: byTestId<HTMLInputElement>('register-tokens-input'),
  run: byTestId<HTMLButtonElement>('run-button'),
  submitJob: byTestId<HTMLButtonElement>('submit-job-button'),
  jobStatus: byTestId<HTMLElement>('job-status'),
  error: byTestId<HTMLElement>('error'),
  canvas: byTestId<HTMLCanvasElement>('result-canvas'),
  caption: byTestId<HTMLElement>('result-caption'),
  legend: byTestId<HTMLElement>('legend'),
  featureTools: byTestId<HTMLElement>('feature-tools'),
  showPca: byTestId<HTMLButtonElement>('show-pca-button'),
  instances: byTestId<HTMLUListElement>('instances'),
  glbView: byTestId<HTMLElement>('glb-view'),
  summary: byTestId<HTMLElement>('result-summary'),
  json: byTestId<HTMLElement>('result-json'),
  statusTable: byTestId<HTMLTableElement>('status-table'),
  refreshStatus: byTestId<HTMLButtonElement>('refresh-status-button'),
};

interface State {
  image?: ImageInput;
  base?: BaseImage;
  instances: Sam3Instance[];
  grid?: PatchGrid;
  glb?: GlbView;
  renders: number;
}

const state: State = { instances: [], renders: 0 };
const client = new FocalClient(() => ui.apiKey.value);
const JOB_POLL = { intervalMs: 300, timeoutMs: 10 * 60_000 };

function showError(error: unknown): void {
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  ui.error.textContent =
    error instanceof ApiError && (error.status === 401 || error.status === 403)
      ? `${message}\n(Set an API key at the top right: ${error.status === 401 ? 'a valid key is needed' : 'this needs an admin key'}.)`
      : message;
  ui.error.hidden = false;
}

function clearError(): void {
  ui.error.hidden = true;
  ui.error.textContent = '';
}

function showFamilyControls(): void {
  const family = ui.family.value;
  document.querySelectorAll<HTMLElement>('[class*="for-"]').forEach((element) => {
    element.hidden = !element.classList.contains(`for-${family}`);
  });
}

/** Marks the canvas as holding a finished drawing, so tests (and users) can tell when it is ready. */
function markRendered(what: string): void {
  state.renders += 1;
  ui.canvas.dataset.rendered = what;
  ui.canvas.dataset.renders = String(state.renders);
}

function resetResult(): void {
  state.glb?.dispose();
  state.glb = undefined;
  state.grid = undefined;
  state.instances = [];
  ui.instances.replaceChildren();
  ui.legend.replaceChildren();
  ui.caption.textContent = '';
  ui.featureTools.hidden = true;
  ui.glbView.replaceChildren();
}

async function bitmapOf(blob: Blob): Promise<BaseImage> {
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  return { source: bitmap, width: bitmap.width, height: bitmap.height };
}

/** A URL image is shown when the browser can load it; the API fetches it for inference either way. */
function urlImage(url: string): Promise<BaseImage | undefined> {
  return new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve({ source: image, width: image.naturalWidth, height: image.naturalHeight });
    image.onerror = () => resolve(undefined);
    image.src = url;
  });
}

async function useImage(source: ImageSource): Promise<void> {
  clearError();
  resetResult();
  try {
    if (source.kind === 'blob') {
      state.base = await bitmapOf(source.blob);
      state.image = await dataUrlOf(source.blob);
    } else {
      state.image = { data: source.url, format: 'url' };
      state.base = await urlImage(source.url);
    }
    if (state.base) drawBase(ui.canvas, state.base);
    ui.canvas.dataset.rendered = 'image';
  } catch (error) {
    state.image = undefined;
    showError(`could not read that image: ${(error as Error).message}`);
  }
}

const numberOf = (input: HTMLInputElement) => Number(input.value);
const promptList = () =>
  ui.prompts.value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);

function requestBody(family: Family, image: ImageInput): object {
  const images = [image];
  switch (family) {
    case 'sam3':
      return {
        images,
        prompts: promptList(),
        threshold: numberOf(ui.threshold),
        mask_threshold: numberOf(ui.maskThreshold),
        output_format: ui.outputFormat.value,
      };
    case 'grounding_dino':
      return {
        images,
        prompts: promptList(),
        box_threshold: numberOf(ui.boxThreshold),
        text_threshold: numberOf(ui.textThreshold),
      };
    case 'depth_anything':
      return { images, export_format: ui.exportFormat.value };
    case 'dinov3':
      return { images };
  }
}

/** The image the result is drawn over; without one (an URL the browser could not show), a grey canvas. */
function baseFor(fallback: { width: number; height: number }): BaseImage {
  return state.base ?? { source: undefined, ...fallback };
}

function renderInstanceToggles(): void {
  const items = state.instances.map((instance, index) => {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const toggle = document.createElement('input');
    toggle.type = 'checkbox';
    toggle.checked = instance.visible;
    toggle.dataset.testid = 'instance-toggle';
    toggle.addEventListener('change', () => {
      instance.visible = toggle.checked;
      drawSam3(ui.canvas, baseFor(sizeOfMasks()), state.instances);
      markRendered('sam3');
    });
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = cssColour(instance.colour);
    label.append(toggle, swatch, `#${index + 1} ${instance.detection.prompt} ${instance.detection.score.toFixed(3)}`);
    li.append(label);
    return li;
  });
  ui.instances.replaceChildren(...items);
}

function sizeOfMasks(): { width: number; height: number } {
  const mask = state.instances[0]?.detection.mask;
  if (mask && !Array.isArray(mask)) return { width: mask.size[1], height: mask.size[0] };
  if (mask && Array.isArray(mask) && Array.isArray(mask[0])) return { width: mask[0].length, height: mask.length };
  return { width: 640, height: 480 };
}

function renderSam3(result: Sam3Response): void {
  const detections = result.results[0] ?? [];
  const base = state.base ?? baseFor(sizeOfMasks());
  state.instances = sam3Instances(detections, base);
  drawSam3(ui.canvas, base, state.instances);
  renderInstanceToggles();
  ui.caption.textContent = `${detections.length} instance(s); toggle them below`;
}

function renderBoxes(result: GroundingDinoResponse): void {
  const boxes = result.results[0]?.boxes ?? [];
  const extent = boxes.reduce(
    (size, { box }) => ({
      width: Math.max(size.width, Math.ceil(box[2])),
      height: Math.max(size.height, Math.ceil(box[3])),
    }),
    { width: 1, height: 1 },
  );
  drawBoxes(ui.canvas, baseFor(extent), boxes);
  ui.caption.textContent = `${boxes.length} box(es)`;
}

async function renderDepth(result: DepthResponse): Promise<void> {
  const depth = decodeDepthPng(base64ToBytes(result.depth_data));
  drawDepth(ui.canvas, depth);
  renderDepthLegend(ui.legend, result.metadata);
  ui.caption.textContent = `depth ${depth.width}×${depth.height}, Turbo colour map`;
  if (!result.glb_data) return;
  if (!webglAvailable()) {
    ui.glbView.textContent = 'The 3D view needs WebGL, which this browser does not offer.';
    return;
  }
  state.glb = await showGlb(ui.glbView, base64ToBytes(result.glb_data));
}

function renderFeatures(result: Dinov3Response): void {
  const tokens = result.features.last_hidden_state[0];
  state.grid = patchGrid(tokens, numberOf(ui.registers), 1);
  drawBase(ui.canvas, baseFor({ width: 448, height: 448 }));
  drawPatchPca(ui.canvas, state.grid);
  ui.featureTools.hidden = false;
  ui.caption.textContent = `PCA of ${state.grid.rows}×${state.grid.cols} patch tokens (CLS and registers left out) as RGB`;
}

function showSimilarity(event: MouseEvent): void {
  if (!state.grid) return;
  const rect = ui.canvas.getBoundingClientRect();
  const index = patchAt(state.grid, (event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height);
  drawPatchSimilarity(ui.canvas, state.grid, index);
  const row = Math.floor(index / state.grid.cols);
  const col = index % state.grid.cols;
  ui.caption.textContent = `cosine similarity to patch (row ${row}, col ${col})`;
  renderTurboLegend(ui.legend, '−1', '1', 'cosine similarity');
  markRendered('dinov3-similarity');
}

async function render(family: Family, result: unknown): Promise<void> {
  resetResult();
  const timed = result as Timed;
  ui.summary.textContent = `Raw JSON (processing_time ${timed.processing_time?.toFixed(3)} s, ${timed.model_id ?? ''})`;
  ui.json.textContent = JSON.stringify(summariseJson(result), null, 2);
  if (family === 'sam3') renderSam3(result as Sam3Response);
  if (family === 'grounding_dino') renderBoxes(result as GroundingDinoResponse);
  if (family === 'depth_anything') await renderDepth(result as DepthResponse);
  if (family === 'dinov3') renderFeatures(result as Dinov3Response);
  markRendered(family);
}

async function runJob(family: Family, body: object): Promise<unknown> {
  const { job_id } = await client.submitJob(family, body);
  const job = await pollJob(
    () => client.job(job_id),
    (update) => {
      ui.jobStatus.textContent = `job ${update.job_id}: ${update.status}${update.attempts > 1 ? ` (attempt ${update.attempts})` : ''}`;
      ui.jobStatus.dataset.status = update.status;
    },
    JOB_POLL,
  );
  if (job.status !== 'completed') throw new Error(`job ${job.job_id} ${job.status}: ${job.error ?? 'no reason given'}`);
  return job.result;
}

async function run(asJob: boolean): Promise<void> {
  clearError();
  if (!state.image) {
    showError('Choose, drop or paste an image (or give its URL) first.');
    return;
  }
  const family = ui.family.value as Family;
  ui.run.disabled = ui.submitJob.disabled = true;
  ui.canvas.dataset.rendered = 'running';
  try {
    const body = requestBody(family, state.image);
    const result = asJob ? await runJob(family, body) : await client.infer(family, body);
    await render(family, result);
  } catch (error) {
    ui.canvas.dataset.rendered = 'error';
    showError(error);
  } finally {
    ui.run.disabled = ui.submitJob.disabled = false;
    void refreshStatus();
  }
}

async function refreshStatus(): Promise<void> {
  try {
    renderStatusTable(ui.statusTable, await client.modelsStatus(), {
      load: (family) => void modelAction(() => client.load(family)),
      unload: (family) => void modelAction(() => client.unload(family)),
    });
    ui.statusTable.dataset.loaded = 'true';
  } catch (error) {
    ui.statusTable.replaceChildren();
    ui.statusTable.dataset.loaded = 'error';
    ui.statusTable.textContent = `model status: ${(error as Error).message}`;
  }
}

/** Loads wait until the model is ready; the table is refreshed at once (to show "loading") and when done. */
async function modelAction(action: () => Promise<unknown>): Promise<void> {
  clearError();
  const done = action().catch(showError);
  await refreshStatus();
  await done;
  await refreshStatus();
}

ui.apiKey.value = readApiKey();
ui.apiKey.addEventListener('input', () => saveApiKey(ui.apiKey.value.trim()));
ui.apiKey.addEventListener('change', () => void refreshStatus());
ui.family.addEventListener('change', showFamilyControls);
ui.run.addEventListener('click', () => void run(false));
ui.submitJob.addEventListener('click', () => void run(true));
ui.refreshStatus.addEventListener('click', () => void refreshStatus());
ui.canvas.addEventListener('click', showSimilarity);
ui.showPca.addEventListener('click', () => {
  if (!state.grid) return;
  drawPatchPca(ui.canvas, state.grid);
  ui.legend.replaceChildren();
  markRendered('dinov3');
});
watchImageSources(ui, (source) => void useImage(source));
showFamilyControls();
void refreshStatus();
document.body.dataset.ready = 'true';
