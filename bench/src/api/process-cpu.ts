import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Tier } from '../core/interleaved.tiers.js';
import { workerProcesses } from './process-memory.js';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux unless getconf says otherwise). */
const TICKS_PER_SECOND = readTicksPerSecond();

function readTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/**
 * CPU time (user + system, all threads) a process has used so far, in ms. The bench's own process is read with
 * process.cpuUsage (µs); others from /proc/<pid>/stat, whose fields 14 and 15 count clock ticks (10 ms at
 * USER_HZ 100), so a block needs hundreds of ms of CPU before a per-request figure means much.
 */
export function processCpuMs(pid: number): number {
  if (pid === process.pid) {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: the fields after it start past its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
}

export interface CpuRole {
  /** What the process is to this tier: "bench process", "api", "worker". */
  role: string;
  pid: number;
}

/**
 * The processes an HTTP tier's request runs in: the bench process (the client, or for in-process tiers the model
 * itself), the API and the API's first worker.
 */
export function apiCpuRoles(apiPid: number): CpuRole[] {
  return [
    { role: 'bench process', pid: process.pid },
    { role: 'api', pid: apiPid },
    { role: 'worker', pid: workerProcesses(apiPid)[0].pid },
  ];
}

export interface TierCpu {
  tier: string;
  requests: number;
  /** CPU ms per request of each role, over the measured blocks only (warm-up calls are not counted). */
  perRequestMs: Record<string, number>;
  totalPerRequestMs: number;
}

/**
 * Counts the CPU each process spends on a tier's measured blocks, per request. On a machine whose cores the
 * model already fills, this is what decides throughput: the API, the worker's decoding and the client all take
 * their CPU from the same cores as onnxruntime.
 */
export class TierCpuMeter {
  private readonly spent = new Map<string, number>();
  private startedAt: number[] = [];
  private requests = 0;
  private inBlock = false;

  constructor(
    private readonly tierName: string,
    private readonly roles: readonly CpuRole[],
  ) {}

  /** The tier, with its blocks measured. Hooks the tier already has still run, outside the measurement. */
  wrap(tier: Tier): Tier {
    return {
      ...tier,
      call: (index) => {
        if (this.inBlock) this.requests++;
        return tier.call(index);
      },
      beforeBlock: async () => {
        await tier.beforeBlock?.();
        this.inBlock = true;
        this.startedAt = this.roles.map((r) => processCpuMs(r.pid));
      },
      afterBlock: async () => {
        const ended = this.roles.map((r) => processCpuMs(r.pid));
        this.inBlock = false;
        this.roles.forEach((r, i) =>
          this.spent.set(r.role, (this.spent.get(r.role) ?? 0) + ended[i] - this.startedAt[i]),
        );
        await tier.afterBlock?.();
      },
    };
  }

  result(): TierCpu {
    const perRequestMs = Object.fromEntries(
      this.roles.map((r) => [r.role, (this.spent.get(r.role) ?? 0) / Math.max(1, this.requests)]),
    );
    const totalPerRequestMs = Object.values(perRequestMs).reduce((sum, ms) => sum + ms, 0);
    return { tier: this.tierName, requests: this.requests, perRequestMs, totalPerRequestMs };
  }
}
