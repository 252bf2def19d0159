import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { onnxRuntimeVersion } from '../onnx/ort-session.js';

export interface MachineInfo {
  cpuModel: string;
  /** `nproc`: the CPUs this process may use. */
  nproc: number;
  memoryGiB: number;
  /** The `Mem:` line of `free -g`, as printed. */
  freeG: string;
  kernel: string;
  node: string;
  onnxruntime: string;
  /** 1/5/15-minute load averages when the run started: a busy shared machine shows here. */
  loadAverage: number[];
}

function command(file: string, args: string[]): string {
  try {
    return execFileSync(file, args).toString().trim();
  } catch {
    return '';
  }
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function machineInfo(): MachineInfo {
  const free = command('free', ['-g']);
  return {
    cpuModel: cpuModel(),
    nproc: Number(command('nproc', [])) || os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    freeG:
      free
        .split('\n')
        .find((line) => line.startsWith('Mem:'))
        ?.replace(/\s+/g, ' ') ?? '',
    kernel: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    onnxruntime: onnxRuntimeVersion(),
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

export function describeMachine(m: MachineInfo): string {
  return `${m.nproc} cores (nproc), ${m.cpuModel}, ${m.memoryGiB} GiB RAM (free -g: \`${m.freeG}\`), ${m.kernel}, Node ${m.node}, onnxruntime-node ${m.onnxruntime} (CPU), load average at start ${m.loadAverage.join(' / ')}`;
}
