import type { Figure, Table } from '../core/benchmark.js';
import type { ProcessMemory } from '../api/process-memory.js';
import { fmt } from '../core/stats.js';

/** Peak RSS (VmHWM) of the API and its workers, read from /proc just before the API is stopped. */
export function memoryTable(title: string, memory: ProcessMemory[]): Table {
  return {
    title,
    columns: ['process', 'pid', 'peak RSS MB', 'RSS at end MB'],
    rows: memory.map((m) => [m.role, m.pid, fmt(m.peakRssMB, 4), fmt(m.rssMB, 4)]),
  };
}

export function memoryFigures(prefix: string, memory: ProcessMemory[]): Figure[] {
  return memory.map((m) => ({
    id: `${prefix}.peak_rss.${m.role.replace(/[^\w]+/g, '_').replace(/_+$/, '')}`,
    label: `Peak RSS, ${m.role}`,
    value: m.peakRssMB,
    unit: 'MB' as const,
    detail: 'VmHWM from /proc/<pid>/status',
  }));
}
