import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvReader } from './env.reader.js';

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface HubConfig {
  /** Cache root; models live under `<root>/hub` like huggingface_hub, demo models under `<root>/focal-demo`. */
  rootFolder: string;
  token: string | undefined;
  endpoint: string;
  offline: boolean;
}

export interface LoggingConfig {
  level: LogLevel;
  json: boolean;
}

export function readHubConfig(env: EnvReader): HubConfig {
  return {
    rootFolder: env.string('HF_ROOT_FOLDER', env.string('HF_HOME', join(homedir(), '.cache', 'huggingface'))),
    token: env.optionalString('HF_TOKEN'),
    endpoint: env.url('HF_ENDPOINT', 'https://huggingface.co', ['http:', 'https:']),
    offline: env.bool('HF_HUB_OFFLINE', false),
  };
}

export function readLoggingConfig(env: EnvReader): LoggingConfig {
  return {
    level: env.oneOf('FOCAL_LOG_LEVEL', LOG_LEVELS, 'log'),
    json: env.oneOf('FOCAL_LOG_FORMAT', ['json', 'text'] as const, 'json') === 'json',
  };
}
