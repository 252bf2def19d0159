import { ApiProperty } from '@nestjs/swagger';
import { MODEL_TYPES } from '../models/model-type.js';

export class HealthResponseDto {
  @ApiProperty({ enum: ['healthy'], description: 'Always "healthy" when the API answers.' })
  status!: 'healthy';

  @ApiProperty({ enum: MODEL_TYPES, isArray: true, description: 'Model types that are ready.' })
  loaded_models!: string[];

  @ApiProperty({ description: 'Free system memory, in GiB.' })
  available_memory_gb!: number;

  @ApiProperty({ description: 'Whether a CUDA device is usable by the inference workers.' })
  gpu_available!: boolean;

  @ApiProperty({ enum: ['local', 'kubernetes'], description: 'Where models run.' })
  runtime!: string;

  @ApiProperty({ description: 'Focal version.' })
  version!: string;
}
