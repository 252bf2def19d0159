import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

export type LogStream = 'stdout' | 'stderr';

/** A line longer than this (in UTF-16 units) is split into partial (P) records, as containerd does at 16 KiB. */
export const MAX_LOG_LINE = 16 * 1024;

/** RFC 3339 with nanoseconds, as the kubelet's CRI log parser expects (time.RFC3339Nano). */
export function criTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/**
 * The CRI log records for one chunk of a stream (`<time> <stream> <P|F> <text>`), given what was left of an
 * unfinished line before it. A complete line is an F record; a line longer than MAX_LOG_LINE is cut into P
 * records ending with an F. Returns the records and the unfinished rest, kept for the next chunk.
 */
export function criLogRecords(
  stream: LogStream,
  pending: string,
  chunk: string,
  now: Date,
): { records: string[]; pending: string } {
  const time = criTimestamp(now);
  const records: string[] = [];
  const lines = (pending + chunk).split('\n');
  let rest = lines.pop() ?? '';
  for (const line of lines) {
    let text = line;
    while (text.length > MAX_LOG_LINE) {
      records.push(`${time} ${stream} P ${text.slice(0, MAX_LOG_LINE)}\n`);
      text = text.slice(MAX_LOG_LINE);
    }
    records.push(`${time} ${stream} F ${text}\n`);
  }
  while (rest.length > MAX_LOG_LINE) {
    records.push(`${time} ${stream} P ${rest.slice(0, MAX_LOG_LINE)}\n`);
    rest = rest.slice(MAX_LOG_LINE);
  }
  return { records, pending: rest };
}

/**
 * Writes a container's stdout and stderr to the file the kubelet named (ContainerConfig.log_path), in the CRI log
 * format: `kubectl logs` and a failed container's termination message (FallbackToLogsOnError) are read from it by
 * the kubelet. `reopen` starts a new file at the same path, after the kubelet rotated the old one.
 */
export class CriLogWriter {
  private fd: number;
  private closed = false;
  private readonly pending: Record<LogStream, string> = { stdout: '', stderr: '' };
  // Per stream: a UTF-8 character split across two chunks of a pipe is decoded whole, never as two U+FFFDs.
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };

  constructor(private readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
  }

  /** Appends a chunk of a stream; after `close` (the container has ended) it writes nothing. */
  write(stream: LogStream, chunk: Buffer | string): void {
    if (this.closed) return;
    const text = typeof chunk === 'string' ? chunk : this.decoders[stream].write(chunk);
    const result = criLogRecords(stream, this.pending[stream], text, new Date());
    this.pending[stream] = result.pending;
    for (const record of result.records) writeSync(this.fd, record);
  }

  reopen(): void {
    if (this.closed) return;
    closeSync(this.fd);
    this.fd = openSync(this.file, 'a');
  }

  /** Flushes unfinished lines as F records (the process ended without a final newline). */
  close(): void {
    if (this.closed) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.pending[stream] + this.decoders[stream].end();
      this.pending[stream] = '';
      if (rest) this.write(stream, `${rest}\n`);
    }
    this.closed = true;
    closeSync(this.fd);
  }
}
