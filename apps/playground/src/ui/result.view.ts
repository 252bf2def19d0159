import type {
  DepthResponse,
  Dinov3Response,
  Family,
  GroundingDinoResponse,
  Sam3Response,
  Timed,
} from '../api/client.types.js';
import { base64ToBytes } from '../decode/base64.js';
import { decodeDepthPng } from '../decode/depth-png.decoder.js';
import { PatchGrid, patchAt, patchGrid } from '../math/patch.grid.js';
import { drawBoxes } from '../render/boxes.view.js';
import { BaseImage, drawBase } from '../render/canvas.base.js';
import { drawDepth, renderDepthLegend, renderTurboLegend } from '../render/depth.view.js';
import { drawPatchPca, drawPatchSimilarity } from '../render/features.view.js';
import { GlbView, showGlb, webglAvailable } from '../render/glb.viewer.js';
import { cssColour } from '../render/prompt.colours.js';
import { Sam3Instance, drawSam3, sam3Instances } from '../render/sam3.view.js';
import { summariseJson } from './json.summary.js';
import type { PageElements } from './page.elements.js';

type Size = { width: number; height: number };

/**
 * The result pane: draws each family's answer on the result canvas over the user's image, the legend, the
 * instance toggles, the 3D view and the raw JSON. `data-rendered` on the canvas names what it last drew
 * (a family, "image", "running", "error" or "dinov3-similarity") and `data-renders` counts drawings.
 */
export class ResultView {
  private base: BaseImage | undefined;
  private instances: Sam3Instance[] = [];
  private grid: PatchGrid | undefined;
  private glb: GlbView | undefined;
  private renders = 0;

  constructor(private readonly ui: PageElements) {}

  /** A new image: the previous result goes, the image is shown alone. */
  showImage(base: BaseImage | undefined): void {
    this.base = base;
    this.reset();
    if (base) drawBase(this.ui.canvas, base);
    this.ui.canvas.dataset.rendered = 'image';
  }

  mark(what: 'running' | 'error'): void {
    this.ui.canvas.dataset.rendered = what;
  }

  async render(family: Family, result: unknown, registerTokens: number): Promise<void> {
    this.reset();
    const timed = result as Timed;
    this.ui.summary.textContent = `Raw JSON (processing_time ${timed.processing_time?.toFixed(3)} s, ${timed.model_id ?? ''})`;
    this.ui.json.textContent = JSON.stringify(summariseJson(result), null, 2);
    if (family === 'sam3') this.renderSam3(result as Sam3Response);
    if (family === 'grounding_dino') this.renderBoxes(result as GroundingDinoResponse);
    if (family === 'depth_anything') await this.renderDepth(result as DepthResponse);
    if (family === 'dinov3') this.renderFeatures(result as Dinov3Response, registerTokens);
    this.rendered(family);
  }

  /** DINOv3: the similarity map of the patch under a click on the canvas. */
  showSimilarityAt(event: MouseEvent): void {
    if (!this.grid) return;
    const rect = this.ui.canvas.getBoundingClientRect();
    const fx = (event.clientX - rect.left) / rect.width;
    const fy = (event.clientY - rect.top) / rect.height;
    const index = patchAt(this.grid, fx, fy);
    drawPatchSimilarity(this.ui.canvas, this.grid, index);
    const row = Math.floor(index / this.grid.cols);
    this.ui.caption.textContent = `cosine similarity to patch (row ${row}, col ${index % this.grid.cols})`;
    renderTurboLegend(this.ui.legend, '−1', '1', 'cosine similarity');
    this.rendered('dinov3-similarity');
  }

  showPca(): void {
    if (!this.grid) return;
    drawPatchPca(this.ui.canvas, this.grid);
    this.ui.legend.replaceChildren();
    this.rendered('dinov3');
  }

  private rendered(what: string): void {
    this.renders += 1;
    this.ui.canvas.dataset.rendered = what;
    this.ui.canvas.dataset.renders = String(this.renders);
  }

  private reset(): void {
    this.glb?.dispose();
    this.glb = undefined;
    this.grid = undefined;
    this.instances = [];
    this.ui.instances.replaceChildren();
    this.ui.legend.replaceChildren();
    this.ui.caption.textContent = '';
    this.ui.featureTools.hidden = true;
    this.ui.glbView.replaceChildren();
  }

  /** The image the result is drawn over; without one (a URL the browser could not show), a grey canvas. */
  private baseFor(fallback: Size): BaseImage {
    return this.base ?? { source: undefined, ...fallback };
  }

  private renderSam3(result: Sam3Response): void {
    const detections = result.results[0] ?? [];
    const base = this.baseFor(maskSize(result));
    this.instances = sam3Instances(detections, base);
    drawSam3(this.ui.canvas, base, this.instances);
    this.renderInstanceToggles(base);
    this.ui.caption.textContent = `${detections.length} instance(s); toggle them below`;
  }

  private renderInstanceToggles(base: BaseImage): void {
    const items = this.instances.map((instance, index) => {
      const toggle = document.createElement('input');
      toggle.type = 'checkbox';
      toggle.checked = instance.visible;
      toggle.dataset.testid = 'instance-toggle';
      toggle.addEventListener('change', () => {
        instance.visible = toggle.checked;
        drawSam3(this.ui.canvas, base, this.instances);
        this.rendered('sam3');
      });
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = cssColour(instance.colour);
      const { prompt, score } = instance.detection;
      const label = document.createElement('label');
      label.append(toggle, swatch, `#${index + 1} ${prompt} ${score.toFixed(3)}`);
      const item = document.createElement('li');
      item.append(label);
      return item;
    });
    this.ui.instances.replaceChildren(...items);
  }

  private renderBoxes(result: GroundingDinoResponse): void {
    const boxes = result.results[0]?.boxes ?? [];
    const extent = boxes.reduce(
      (size, { box }) => ({
        width: Math.max(size.width, Math.ceil(box[2])),
        height: Math.max(size.height, Math.ceil(box[3])),
      }),
      { width: 1, height: 1 },
    );
    drawBoxes(this.ui.canvas, this.baseFor(extent), boxes);
    this.ui.caption.textContent = `${boxes.length} box(es)`;
  }

  private async renderDepth(result: DepthResponse): Promise<void> {
    const depth = decodeDepthPng(base64ToBytes(result.depth_data));
    drawDepth(this.ui.canvas, depth);
    renderDepthLegend(this.ui.legend, result.metadata);
    this.ui.caption.textContent = `depth ${depth.width}×${depth.height}, Turbo colour map`;
    if (!result.glb_data) return;
    if (!webglAvailable()) {
      this.ui.glbView.textContent = 'The 3D view needs WebGL, which this browser does not offer.';
      return;
    }
    this.glb = await showGlb(this.ui.glbView, base64ToBytes(result.glb_data));
  }

  private renderFeatures(result: Dinov3Response, registerTokens: number): void {
    const grid = patchGrid(result.features.last_hidden_state[0], registerTokens, 1);
    this.grid = grid;
    drawBase(this.ui.canvas, this.baseFor({ width: 448, height: 448 }));
    drawPatchPca(this.ui.canvas, grid);
    this.ui.featureTools.hidden = false;
    this.ui.caption.textContent = `PCA of ${grid.rows}×${grid.cols} patch tokens (CLS and registers left out) as RGB`;
  }
}

/**
 * The image size SAM3's masks carry (RLE size, or the rows of a dense mask), for drawing without the image;
 * polygons carry none, so they get the fallback of 640×480 then.
 */
function maskSize(result: Sam3Response): Size {
  const mask = result.results[0]?.[0]?.mask;
  if (mask && !Array.isArray(mask)) return { width: mask.size[1], height: mask.size[0] };
  const dense = Array.isArray(mask) && mask.length > 0 && mask[0].every((v) => v === 0 || v === 1);
  if (dense) return { width: mask[0].length, height: mask.length };
  return { width: 640, height: 480 };
}
