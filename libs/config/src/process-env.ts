import { config as loadDotenv } from 'dotenv';
import type { Env } from './env.reader.js';

/**
 * The one place that reads the process environment. A `.env` file in the working directory
 * (or FOCAL_ENV_FILE) fills in variables that are not already set; real env vars win.
 */
export function readProcessEnv(): Env {
  const path = process.env.FOCAL_ENV_FILE ?? '.env';
  loadDotenv({ path, quiet: true });
  return { ...process.env };
}
