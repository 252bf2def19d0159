import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ModelStoreOptions } from '../model-store.options.js';

/**
 * Environment → ModelStoreOptions for the CLI. This is the only model-store file that reads the
 * environment; it mirrors readHubConfig in libs/config and is meant to move there.
 *
 *   HF_ROOT_FOLDER (else HF_HOME, else ~/.cache/huggingface)   cache root; hub repos under <root>/hub
 *   HF_ENDPOINT                                                hub URL, default https://huggingface.co
 *   HF_TOKEN                                                   hub token
 *   HF_HUB_OFFLINE                                             1/true/yes/on: cache only
 *   HF_HUB_DOWNLOAD_TIMEOUT                                    seconds without data before a request fails
 */
export function modelStoreOptionsFromEnv(
  // eslint-disable-next-line no-restricted-properties
  env: Record<string, string | undefined> = process.env,
): ModelStoreOptions {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  return {
    cacheDir: value('HF_ROOT_FOLDER') ?? value('HF_HOME') ?? join(homedir(), '.cache', 'huggingface'),
    endpoint: value('HF_ENDPOINT'),
    token: value('HF_TOKEN'),
    offline: parseFlag('HF_HUB_OFFLINE', value('HF_HUB_OFFLINE')),
    timeoutMs: parseSeconds('HF_HUB_DOWNLOAD_TIMEOUT', value('HF_HUB_DOWNLOAD_TIMEOUT')),
  };
}

function parseFlag(name: string, raw: string | undefined): boolean {
  if (raw === undefined) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function parseSeconds(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`${name} must be a positive number of seconds, got "${raw}"`);
  return seconds * 1000;
}
