/**
 * The structured logger the operator's parts write to: Nest's ConsoleLogger from createLogger
 * satisfies it, and tests pass a silent or recording one.
 */
export interface OperatorLog {
  log(message: Record<string, unknown>): void;
  warn(message: Record<string, unknown>): void;
  error(message: Record<string, unknown>): void;
  debug(message: Record<string, unknown>): void;
}

export const SILENT_LOG: OperatorLog = { log: () => {}, warn: () => {}, error: () => {}, debug: () => {} };

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
