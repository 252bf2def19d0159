/** A decoded image: 8-bit RGB, interleaved, row-major (data.length === width * height * 3). */
export interface RgbImage {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
}
