/** COCO compressed RLE as pycocotools returns it (after `.decode('utf-8')`): `size` is [height, width]. */
export interface CocoRle {
  size: [number, number];
  counts: string;
}
