import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsIn, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { IMAGES_API_PROPERTY, type ImageInput, IsImageInputList } from './image-input.js';

export const MASK_FORMATS = ['dense', 'rle', 'polygons'] as const;
export type MaskFormat = (typeof MASK_FORMATS)[number];

export const DEPTH_FORMATS = ['png', 'glb', 'npy'] as const;
export type DepthFormat = (typeof DEPTH_FORMATS)[number];

export const TENSOR_FORMATS = ['json', 'base64', 'npy'] as const;
export type TensorFormat = (typeof TENSOR_FORMATS)[number];

/** Fields every inference request shares. */
export class ImagesRequestDto {
  @ApiProperty(IMAGES_API_PROPERTY)
  @IsImageInputList()
  images!: ImageInput[];

  @ApiPropertyOptional({
    enum: TENSOR_FORMATS,
    default: 'json',
    description:
      'How large arrays come back (DINOv3 features, SAM3 dense masks; other outputs are unchanged). ' +
      '"json": nested lists, as in the guide. "base64": {"dtype": "float32", "shape": [...], "data": ' +
      '"<base64 of the little-endian values, C order>"}. "npy": the same object with "data" a base64 .npy file. ' +
      'SAM3 dense masks in either compact form: {"dtype": "bits", "shape": [h, w], "data": "<base64 of the mask ' +
      'bit-packed row-major, first pixel in the most significant bit>"} (np.unpackbits(data)[:h*w].reshape(h, w)).',
  })
  @IsOptional()
  @IsIn(TENSOR_FORMATS)
  tensor_format?: TensorFormat;
}

export class Sam3RequestDto extends ImagesRequestDto {
  @ApiProperty({
    type: [String],
    description: 'Text prompts; every prompt is run on every image.',
    example: ['person'],
  })
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  prompts!: string[];

  @ApiPropertyOptional({ default: 0.5, minimum: 0, maximum: 1, description: 'Minimum detection score.' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  threshold?: number;

  @ApiPropertyOptional({ default: 0.5, minimum: 0, maximum: 1, description: 'Mask probability cut-off.' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  mask_threshold?: number;

  @ApiPropertyOptional({ enum: MASK_FORMATS, default: 'dense', description: 'How masks are returned.' })
  @IsOptional()
  @IsIn(MASK_FORMATS)
  output_format?: MaskFormat;

  @ApiPropertyOptional({ default: 1, minimum: 0, description: 'Polygon simplification tolerance, in pixels.' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(100)
  polygon_tolerance?: number;
}

export class GroundingDinoRequestDto extends ImagesRequestDto {
  @ApiProperty({ type: [String], description: 'Phrases to detect, joined as "a. b. c."', example: ['person', 'car'] })
  @IsArray()
  @ArrayNotEmpty()
  @IsString({ each: true })
  prompts!: string[];

  @ApiPropertyOptional({ default: 0.35, minimum: 0, maximum: 1, description: 'Threshold on the best token score.' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  box_threshold?: number;

  @ApiPropertyOptional({ default: 0.25, minimum: 0, maximum: 1, description: 'Threshold on token spans.' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  text_threshold?: number;
}

export class DepthAnythingRequestDto extends ImagesRequestDto {
  @ApiPropertyOptional({ enum: DEPTH_FORMATS, default: 'png', description: 'Depth export: 16-bit PNG, GLB, npy.' })
  @IsOptional()
  @IsIn(DEPTH_FORMATS)
  export_format?: DepthFormat;

  @ApiPropertyOptional({ minimum: 1, maximum: 179, description: 'Assumed horizontal FOV for GLB without intrinsics.' })
  @IsOptional()
  @IsNumber()
  @Min(1)
  @Max(179)
  fov_degrees?: number;
}

export class Dinov3RequestDto extends ImagesRequestDto {}
