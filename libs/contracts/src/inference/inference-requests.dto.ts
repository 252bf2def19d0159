import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayNotEmpty, IsArray, IsIn, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';
import { IMAGES_API_PROPERTY, type ImageInput, IsImageInputList } from './image-input.js';

export const MASK_FORMATS = ['dense', 'rle', 'polygons'] as const;
export type MaskFormat = (typeof MASK_FORMATS)[number];

export const DEPTH_FORMATS = ['png', 'glb', 'npy'] as const;
export type DepthFormat = (typeof DEPTH_FORMATS)[number];

/** Fields every inference request shares. */
export class ImagesRequestDto {
  @ApiProperty(IMAGES_API_PROPERTY)
  @IsImageInputList()
  images!: ImageInput[];
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
