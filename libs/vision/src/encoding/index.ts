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
