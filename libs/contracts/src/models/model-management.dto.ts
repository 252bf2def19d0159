import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { DEVICES, type Device, MODEL_STATES, type ModelState } from './model-state.js';
import { MODEL_TYPES } from './model-type.js';

const MODEL_TYPE_SPELLINGS = [...MODEL_TYPES, 'grounding-dino', 'depth-anything'];

export class LoadModelRequestDto {
  @ApiProperty({ enum: MODEL_TYPE_SPELLINGS, description: 'Model family; hyphenated spellings are accepted.' })
  @IsString()
  @IsIn(MODEL_TYPE_SPELLINGS, { message: `model_type must be one of: ${MODEL_TYPE_SPELLINGS.join(', ')}` })
  model_type!: string;

  @ApiPropertyOptional({
    description:
      'HF repo id, hf:// / https:// / file:// URI, a local folder, or "demo". Defaults to the configured model.',
    example: 'demo',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  model_id?: string;

  @ApiPropertyOptional({ enum: DEVICES, description: 'cuda falls back to cpu with a warning where CUDA is missing.' })
  @IsOptional()
  @IsIn(DEVICES)
  device?: Device;

  @ApiPropertyOptional({ default: true, description: 'Wait until ready (200) or return at once (202).' })
  @IsOptional()
  @IsBoolean()
  wait?: boolean;
}

export class UnloadModelRequestDto {
  @ApiProperty({ enum: MODEL_TYPE_SPELLINGS, description: 'Model family to unload.' })
  @IsString()
  @IsIn(MODEL_TYPE_SPELLINGS, { message: `model_type must be one of: ${MODEL_TYPE_SPELLINGS.join(', ')}` })
  model_type!: string;
}

export class ModelStatusDto {
  @ApiProperty({ enum: MODEL_TYPES, description: 'Model family.' })
  model_type!: string;

  @ApiProperty({ enum: MODEL_STATES, description: 'unloaded, loading, ready or failed.' })
  state!: ModelState;

  @ApiProperty({ nullable: true, type: String, description: 'Model served (or being loaded), null when unloaded.' })
  model_id!: string | null;

  @ApiProperty({ nullable: true, type: String, enum: DEVICES, description: 'Device actually in use.' })
  device!: Device | null;

  @ApiPropertyOptional({ enum: DEVICES, description: 'Device that was asked for.' })
  requested_device?: Device;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Desired replicas (processes or pods).' })
  replicas!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Replicas that answer /readyz.' })
  ready_replicas!: number;

  @ApiProperty({ nullable: true, type: String, description: 'Why the model failed, if it did.' })
  error!: string | null;

  @ApiProperty({ description: 'True when serving a generated demo model rather than real weights.' })
  demo!: boolean;

  @ApiProperty({ type: [String], description: 'Warnings, e.g. a CUDA-to-CPU fallback.' })
  warnings!: string[];

  @ApiPropertyOptional({ description: 'Seconds the last load took.' })
  load_time?: number;
}

export class ModelsStatusResponseDto {
  @ApiProperty({ type: ModelStatusDto })
  sam3!: ModelStatusDto;

  @ApiProperty({ type: ModelStatusDto })
  grounding_dino!: ModelStatusDto;

  @ApiProperty({ type: ModelStatusDto })
  depth_anything!: ModelStatusDto;

  @ApiProperty({ type: ModelStatusDto })
  dinov3!: ModelStatusDto;
}

export class LoadModelResponseDto extends ModelStatusDto {
  @ApiProperty({ enum: ['loaded', 'loading'], description: '"loaded" when ready, "loading" when wait=false.' })
  status!: 'loaded' | 'loading';
}

export class UnloadResponseDto {
  @ApiProperty({ enum: ['unloaded'], description: 'Always "unloaded".' })
  status!: 'unloaded';

  @ApiProperty({ enum: MODEL_TYPES, isArray: true, description: 'Model types that were running and are now stopped.' })
  unloaded!: string[];
}
