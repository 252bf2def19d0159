import { Logger } from '@nestjs/common';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import type { Device } from '@focal/contracts';
import { focalSessionOptions } from '@focal/onnx-runtime';

export interface SessionPlan {
  device: Device;
  providers: string[];
  warnings: string[];
}

export interface SessionOptions {
  intraOpThreads: number;
}

/**
 * Picks execution providers for a requested device. CUDA is used only when this onnxruntime-node
 * build offers it (the CUDA image installs it); otherwise CPU, with a warning that reaches
 * the load response and /models/status.
 */
export function planProviders(requested: Device, available: readonly string[]): SessionPlan {
  if (requested === 'cpu') return { device: 'cpu', providers: ['cpu'], warnings: [] };
  if (available.includes('cuda')) return { device: 'cuda', providers: ['cuda', 'cpu'], warnings: [] };
  return {
    device: 'cpu',
    providers: ['cpu'],
    warnings: [`CUDA was requested but this onnxruntime-node build has no CUDA provider; running on CPU`],
  };
}

/**
 * Backends this process can really use. onnxruntime-node lists "cuda" on every linux-x64 build but
 * ships its provider library only when installed with --onnxruntime-node-install=cuda12, so CUDA counts
 * only when libonnxruntime_providers_cuda.so sits next to the binding.
 */
export function availableBackends(): string[] {
  const names = ort.listSupportedBackends().map((backend) => backend.name);
  return names.filter((name) => name !== 'cuda' || cudaProviderInstalled());
}

function cudaProviderInstalled(): boolean {
  const root = dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
  const binDir = join(root, 'bin');
  if (!existsSync(binDir)) return false;
  return readdirSync(binDir).some((napi) =>
    existsSync(join(binDir, napi, process.platform, process.arch, 'libonnxruntime_providers_cuda.so')),
  );
}

/** Creates one session per graph file, falling back to CPU if the CUDA provider fails at session creation. */
export class OnnxSessionFactory {
  private readonly logger = new Logger('OnnxSessionFactory');

  async create(
    path: string,
    plan: SessionPlan,
    options: SessionOptions,
  ): Promise<{ session: ort.InferenceSession; plan: SessionPlan }> {
    const sessionOptions = focalSessionOptions(plan.providers, options.intraOpThreads);
    try {
      return { session: await ort.InferenceSession.create(path, sessionOptions), plan };
    } catch (error) {
      if (plan.device !== 'cuda') throw error;
      const reason = `CUDA session creation failed (${(error as Error).message}); running on CPU`;
      this.logger.warn({ msg: reason, path });
      const cpu: SessionPlan = { device: 'cpu', providers: ['cpu'], warnings: [...plan.warnings, reason] };
      return this.create(path, cpu, options);
    }
  }
}
