import { readApiKey, saveApiKey } from './api/api-key.store.js';
import type { Family, ImageInput } from './api/client.types.js';
import { ApiError, FocalClient } from './api/focal.client.js';
import { pollJob } from './api/job.poller.js';
import { FormValues, requestBody } from './api/request.body.js';
import type { BaseImage } from './render/canvas.base.js';
import { ImageSource, dataUrlOf, watchImageSources } from './ui/image.source.js';
import { findPageElements } from './ui/page.elements.js';
import { ResultView } from './ui/result.view.js';
import { renderStatusTable } from './ui/status.table.js';

/* The page's composition: image in, one request (or job) out, the answer handed to the result view. */

const ui = findPageElements();
const view = new ResultView(ui);
const client = new FocalClient(() => ui.apiKey.value);
const JOB_POLL = { intervalMs: 300, timeoutMs: 10 * 60_000 };
let image: ImageInput | undefined;

function showError(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  const auth = error instanceof ApiError && (error.status === 401 || error.status === 403);
  const hint = error instanceof ApiError && error.status === 401 ? 'a valid key is needed' : 'this needs an admin key';
  ui.error.textContent = auth ? `${message}\n(Set an API key at the top right: ${hint}.)` : message;
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

async function bitmapOf(blob: Blob): Promise<BaseImage> {
  const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  return { source: bitmap, width: bitmap.width, height: bitmap.height };
}

/**
 * A URL image is drawn under the result when its server allows CORS (a cross-origin image without it would
 * taint the canvas, and masks are blended from its pixels); otherwise only its size is used, over grey. The
 * API fetches the URL for inference either way.
 */
async function urlImage(url: string): Promise<BaseImage | undefined> {
  const load = (crossOrigin: string | null) =>
    new Promise<HTMLImageElement | undefined>((resolve) => {
      const element = new Image();
      if (crossOrigin) element.crossOrigin = crossOrigin;
      element.onload = () => resolve(element);
      element.onerror = () => resolve(undefined);
      element.src = url;
    });
  const shared = await load('anonymous');
  if (shared) return { source: shared, width: shared.naturalWidth, height: shared.naturalHeight };
  const opaque = await load(null);
  return opaque && { source: undefined, width: opaque.naturalWidth, height: opaque.naturalHeight };
}

async function useImage(source: ImageSource): Promise<void> {
  clearError();
  try {
    if (source.kind === 'blob') {
      const base = await bitmapOf(source.blob);
      image = await dataUrlOf(source.blob);
      view.showImage(base);
    } else {
      image = { data: source.url, format: 'url' };
      view.showImage(await urlImage(source.url));
    }
  } catch (error) {
    image = undefined;
    showError(`could not read that image: ${(error as Error).message}`);
  }
}

function formValues(): FormValues {
  return {
    prompts: ui.prompts.value,
    threshold: Number(ui.threshold.value),
    maskThreshold: Number(ui.maskThreshold.value),
    outputFormat: ui.outputFormat.value,
    boxThreshold: Number(ui.boxThreshold.value),
    textThreshold: Number(ui.textThreshold.value),
    exportFormat: ui.exportFormat.value,
  };
}

async function runJob(family: Family, body: object): Promise<unknown> {
  const { job_id } = await client.submitJob(family, body);
  const job = await pollJob(
    () => client.job(job_id),
    (update) => {
      const attempt = update.attempts > 1 ? ` (attempt ${update.attempts})` : '';
      ui.jobStatus.textContent = `job ${update.job_id}: ${update.status}${attempt}`;
      ui.jobStatus.dataset.status = update.status;
    },
    JOB_POLL,
  );
  if (job.status !== 'completed') throw new Error(`job ${job.job_id} ${job.status}: ${job.error ?? 'no reason given'}`);
  return job.result;
}

async function run(asJob: boolean): Promise<void> {
  clearError();
  if (!image) {
    showError('Choose, drop or paste an image (or give its URL) first.');
    return;
  }
  const family = ui.family.value as Family;
  ui.run.disabled = ui.submitJob.disabled = true;
  view.mark('running');
  try {
    const body = requestBody(family, image, formValues());
    const result = asJob ? await runJob(family, body) : await client.infer(family, body);
    await view.render(family, result, Number(ui.registers.value));
  } catch (error) {
    view.mark('error');
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
ui.canvas.addEventListener('click', (event) => view.showSimilarityAt(event));
ui.showPca.addEventListener('click', () => view.showPca());
watchImageSources(ui, (source) => void useImage(source));
showFamilyControls();
void refreshStatus();
document.body.dataset.ready = 'true';
