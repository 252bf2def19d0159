export type { CocoRle } from './coco-rle.types.js';
export { encodeCocoRle } from './coco-rle.encoder.js';
export { decodeCocoRle } from './coco-rle.decoder.js';
export { rleCountsColumnMajor, maskFromColumnMajorCounts } from './coco-rle.counts.js';
export { cocoCountsToString, cocoCountsFromString } from './coco-rle.string.js';
export { maskToPolygons, type MaskToPolygonsOptions } from './mask-to-polygons.js';
export { encodePng16, type Png16Result } from './png16.encoder.js';
export { encodeNpy } from './npy.encoder.js';
export { assumedIntrinsics, type CameraIntrinsics, DEFAULT_FOV_DEGREES } from './camera-intrinsics.js';
export { disparityToDepth } from './disparity.js';
export {
  depthToPointCloudGlb,
  type PointCloudGlb,
  type PointCloudInput,
  type PointCloudMetadata,
} from './point-cloud-glb.encoder.js';
export { packMaskBits } from './mask-bits.encoder.js';
export { float32LittleEndian } from './float32-le.encoder.js';
export { compactFloat32, compactMask, type CompactTensor } from './compact-tensor.encoder.js';
