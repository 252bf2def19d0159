import { Inject, Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { freemem } from 'node:os';
import type { HealthResponseDto } from '@focal/contracts';
import { ModelManagerService } from '../models/model-manager.service.js';
import { MODEL_RUNTIME, type ModelRuntime } from '../runtime/model-runtime.port.js';

export const FOCAL_VERSION = '0.1.0';

@Injectable()
export class HealthService {
  constructor(
    private readonly models: ModelManagerService,
    @Inject(MODEL_RUNTIME) private readonly runtime: ModelRuntime,
  ) {}

  async health(): Promise<HealthResponseDto> {
    const statuses = await this.models.statusAll();
    return {
      status: 'healthy',
      loaded_models: statuses.filter((s) => s.state === 'ready').map((s) => s.modelType),
      available_memory_gb: Math.round((freemem() / 1024 ** 3) * 100) / 100,
      gpu_available: this.gpuAvailable(statuses.some((s) => s.device === 'cuda')),
      runtime: this.runtime.kind,
      version: FOCAL_VERSION,
    };
  }

  /** A model already on CUDA proves it; otherwise an NVIDIA device node on this host (local) suggests it. */
  private gpuAvailable(modelOnCuda: boolean): boolean {
    if (modelOnCuda) return true;
    return this.runtime.kind === 'local' && existsSync('/dev/nvidia0');
  }
}
