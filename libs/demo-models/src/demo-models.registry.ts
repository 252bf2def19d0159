import type { ModelType } from '@focal/contracts';
import type { DemoModel } from './demo-model.js';
import { depthAnythingDemo } from './families/depth-anything.demo.js';
import { dinov3Demo } from './families/dinov3.demo.js';
import { groundingDinoDemo } from './families/grounding-dino.demo.js';
import { sam3Demo } from './families/sam3.demo.js';

export const DEMO_MODELS: Record<ModelType, DemoModel> = {
  dinov3: dinov3Demo,
  depth_anything: depthAnythingDemo,
  grounding_dino: groundingDinoDemo,
  sam3: sam3Demo,
};
