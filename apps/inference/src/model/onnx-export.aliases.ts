/**
 * The guide names PyTorch repos (e.g. IDEA-Research/grounding-dino-tiny), which hold no ONNX graph.
 * These map to the public ONNX export of the same weights, so such ids load as a user expects.
 */
const ONNX_EXPORTS: Record<string, string> = {
  'idea-research/grounding-dino-tiny': 'onnx-community/grounding-dino-tiny-ONNX',
  'depth-anything/depth-anything-v2-small-hf': 'onnx-community/depth-anything-v2-small',
  'depth-anything/depth-anything-v2-base-hf': 'onnx-community/depth-anything-v2-base',
  'facebook/dinov3-vits16-pretrain-lvd1689m': 'onnx-community/dinov3-vits16-pretrain-lvd1689m-ONNX',
};

export function onnxExportOf(modelId: string): string {
  return ONNX_EXPORTS[modelId.toLowerCase()] ?? modelId;
}
