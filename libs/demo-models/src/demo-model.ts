import type { ModelType } from '@focal/contracts';

/** A generated model folder: files by relative path, plus its focal-model.json content. */
export interface DemoModel {
  family: ModelType;
  files(): Record<string, Uint8Array | string>;
  manifest: { family: ModelType; demo: true; [key: string]: unknown };
}
