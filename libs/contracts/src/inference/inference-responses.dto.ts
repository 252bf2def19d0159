import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';

const BOX: ApiPropertyOptions = {
  type: [Number],
  minItems: 4,
  maxItems: 4,
  description: '[x1, y1, x2, y2] in original-image pixels.',
};

export class CocoRleDto {
  @ApiProperty({ type: [Number], description: '[height, width]' })
  size!: [number, number];

  @ApiProperty({ description: 'COCO compressed RLE string, column-major (pycocotools compatible).' })
  counts!: string;
}

/** A large array when the request's tensor_format is "base64" or "npy". */
export class CompactTensorDto {
  @ApiProperty({ enum: ['float32', 'bits'], description: '"float32" features, or "bits" for a bit-packed 0/1 mask.' })
  dtype!: 'float32' | 'bits';

  @ApiProperty({ type: [Number], description: 'The array shape, e.g. [B, T, D] or [h, w].' })
  shape!: number[];

  @ApiProperty({
    description:
      'Base64: float32 little-endian values in C order ("base64"), a whole .npy file ("npy"), or for "bits" the mask ' +
      'packed 8 pixels a byte, row-major, first pixel in the most significant bit (np.packbits).',
  })
  data!: string;
}

const COMPACT = { $ref: '#/components/schemas/CompactTensorDto' };

export class Sam3DetectionDto {
  @ApiProperty({ description: 'The prompt this detection answers.' })
  prompt!: string;

  @ApiProperty({ description: 'sigmoid(logit) × sigmoid(presence).' })
  score!: number;

  @ApiProperty(BOX)
  box!: number[];

  @ApiProperty({
    description:
      'dense: H×W nested 0/1 list (a bit-packed CompactTensorDto with tensor_format "base64" or "npy"); ' +
      'rle: COCO RLE {size, counts}; polygons: list of flat [x1,y1,x2,y2,...] outer contours.',
    oneOf: [
      { type: 'array', items: { type: 'array', items: { type: 'number' } } },
      { $ref: '#/components/schemas/CocoRleDto' },
      COMPACT,
    ],
  })
  mask!: number[][] | CocoRleDto | CompactTensorDto;
}

export class TimedResponseDto {
  @ApiProperty({ description: 'Wall time of the request inside the API, in seconds.' })
  processing_time!: number;

  @ApiPropertyOptional({ description: 'The model that answered.' })
  model_id?: string;
}

export class Sam3ResponseDto extends TimedResponseDto {
  @ApiProperty({
    description: 'results[i] is the list of detections for image i.',
    type: 'array',
    items: { type: 'array', items: { $ref: '#/components/schemas/Sam3DetectionDto' } },
  })
  results!: Sam3DetectionDto[][];
}

export class DetectionBoxDto {
  @ApiProperty({ description: 'The prompt whose token span won.' })
  label!: string;

  @ApiProperty({ description: 'Best token probability of the query.' })
  score!: number;

  @ApiProperty(BOX)
  box!: number[];
}

export class GroundingDinoImageResultDto {
  @ApiProperty({ type: [DetectionBoxDto], description: 'Detections above the thresholds, best first.' })
  boxes!: DetectionBoxDto[];
}

export class GroundingDinoResponseDto extends TimedResponseDto {
  @ApiProperty({ type: [GroundingDinoImageResultDto], description: 'One entry per image.' })
  results!: GroundingDinoImageResultDto[];
}

export class DepthMetadataDto {
  @ApiProperty({ type: [Number], description: '[H, W] of the depth map (the original image size).' })
  shape!: number[];

  @ApiProperty({ description: 'Raw model output value mapped to 0 in the PNG.' })
  min!: number;

  @ApiProperty({ description: 'Raw model output value mapped to 65535 in the PNG.' })
  max!: number;

  @ApiProperty({ description: '"relative_inverse_depth" (disparity-like) or "depth".' })
  kind!: string;

  @ApiPropertyOptional({ description: 'GLB export details: point count, intrinsics and their source.' })
  glb?: Record<string, unknown>;
}

export class DepthImageResultDto {
  @ApiProperty({ description: 'Base64 16-bit grayscale PNG, min-max normalised.' })
  depth_data!: string;

  @ApiProperty({ type: DepthMetadataDto })
  metadata!: DepthMetadataDto;

  @ApiPropertyOptional({ description: 'Base64 GLB point cloud, when export_format is "glb".' })
  glb_data?: string;

  @ApiPropertyOptional({ description: 'Base64 .npy float32 [H, W] raw depth, when export_format is "npy".' })
  npy_data?: string;
}

export class DepthAnythingResponseDto extends TimedResponseDto {
  @ApiProperty({ description: 'The first image’s depth PNG (base64).' })
  depth_data!: string;

  @ApiProperty({ type: DepthMetadataDto, description: 'The first image’s metadata.' })
  metadata!: DepthMetadataDto;

  @ApiPropertyOptional({ description: 'The first image’s GLB (base64), when asked for.' })
  glb_data?: string;

  @ApiPropertyOptional({ description: 'The first image’s npy (base64), when asked for.' })
  npy_data?: string;

  @ApiProperty({ type: [DepthImageResultDto], description: 'One entry per image.' })
  results!: DepthImageResultDto[];
}

export class Dinov3FeaturesDto {
  @ApiProperty({
    description:
      '[B, 1 + registers + patches, D]: CLS, register tokens, then patch tokens row-major ' +
      '(a CompactTensorDto with tensor_format "base64" or "npy").',
    oneOf: [{ type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'number' } } } }, COMPACT],
  })
  last_hidden_state!: number[][][] | CompactTensorDto;

  @ApiProperty({
    description: '[B, D]: the CLS token after the final norm (a CompactTensorDto with a compact tensor_format).',
    oneOf: [{ type: 'array', items: { type: 'array', items: { type: 'number' } } }, COMPACT],
  })
  pooler_output!: number[][] | CompactTensorDto;
}

export class Dinov3ResponseDto extends TimedResponseDto {
  @ApiProperty({ type: Dinov3FeaturesDto })
  features!: Dinov3FeaturesDto;
}
