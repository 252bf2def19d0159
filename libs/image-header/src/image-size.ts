/** Dimensions as a format's header declares them, before any pixel is decoded. */
export interface ImageSize {
  width: number;
  height: number;
}
