import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { childPids } from '@focal/testing';

export { childPids };

/** Resident memory of one process from /proc/<pid>/status (Linux): peak (VmHWM) and current (VmRSS). */
export interface ProcessMemory {
  pid: number;
  role: string;
  peakRssMB: number;
  rssMB: number;
}

function statusField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

export function readProcessMemory(pid: number, role: string): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { pid, role, peakRssMB: statusField(status, 'VmHWM'), rssMB: statusField(status, 'VmRSS') };
}

/** A worker's FOCAL_* settings, read from /proc/<pid>/environ (same user, so readable). */
export function processEnv(pid: number): Record<string, string> {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
    return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  } catch {
    return {};
  }
}

export interface WorkerProcess {
  pid: number;
  modelType: string;
  modelId: string;
}

/** The API's worker children, with the model each serves. */
export function workerProcesses(apiPid: number): WorkerProcess[] {
  return childPids(apiPid).map((pid) => {
    const env = processEnv(pid);
    return { pid, modelType: env.FOCAL_MODEL_TYPE ?? 'unknown', modelId: env.FOCAL_MODEL_ID ?? 'unknown' };
  });
}

/** Peak RSS of the API process and each of its workers, read while they still run. */
export function apiMemory(apiPid: number): ProcessMemory[] {
  return [
    readProcessMemory(apiPid, 'api'),
    ...workerProcesses(apiPid).map((w) =>
      readProcessMemory(w.pid, `worker ${w.modelType} (${w.modelId === 'demo' ? 'demo' : 'shape-true'})`),
    ),
  ];
}

/**
 * TCP ports a process listens on: its socket inodes (/proc/<pid>/fd) matched against LISTEN
 * entries of /proc/net/tcp{,6}. Used to reach a worker's /metrics, whose port only the API knows.
 */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]);
    } catch {
      // fd closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').trim().split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      const [, localAddress, , state] = cols;
      if (state === '0A' && inodes.has(cols[9])) ports.push(parseInt(localAddress.split(':')[1], 16));
    }
  }
  return [...new Set(ports)];
}
