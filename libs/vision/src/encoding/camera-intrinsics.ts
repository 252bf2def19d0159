/** Pinhole intrinsics in pixels, OpenCV convention: pixel (x, y)'s centre is at u = x, v = y. */
export interface CameraIntrinsics {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
}

export const DEFAULT_FOV_DEGREES = 60;

/**
 * Intrinsics for a camera with the given horizontal field of view and square pixels, when the model gives
 * none: fx = fy = (W/2) / tan(fov/2), and the principal point at the image centre, which in the
 * pixel-centre convention above is ((W−1)/2, (H−1)/2).
 */
export function assumedIntrinsics(width: number, height: number, fovDegrees: number): CameraIntrinsics {
  if (!Number.isFinite(fovDegrees) || fovDegrees <= 0 || fovDegrees >= 180) {
    throw new RangeError(`fovDegrees must be in (0, 180), got ${fovDegrees}`);
  }
  const f = width / 2 / Math.tan((fovDegrees * Math.PI) / 360);
  return { fx: f, fy: f, cx: (width - 1) / 2, cy: (height - 1) / 2 };
}

export function assertIntrinsics(k: CameraIntrinsics): void {
  const finite = [k.fx, k.fy, k.cx, k.cy].every(Number.isFinite);
  if (!finite || k.fx <= 0 || k.fy <= 0) {
    throw new RangeError(`Intrinsics need finite values and positive focal lengths, got ${JSON.stringify(k)}`);
  }
}
