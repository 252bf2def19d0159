import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../progress.js';

/** One progress bar per file being downloaded, drawn with cli-progress on stderr. */
export class DownloadProgress {
  private readonly bars: cliProgress.MultiBar;
  private readonly byFile = new Map<string, cliProgress.SingleBar>();

  constructor(stream: NodeJS.WritableStream) {
    this.bars = new cliProgress.MultiBar(
      {
        stream,
        format: ' {bar} {percentage}% | {value}/{total} | {file}',
        formatValue: (value, _options, type) =>
          type === 'value' || type === 'total' ? formatBytes(value) : String(value),
        hideCursor: true,
        clearOnComplete: false,
        // Logs of init containers and CI are not terminals: print the bars now and then instead of redrawing.
        noTTYOutput: true,
        notTTYSchedule: 5000,
      },
      cliProgress.Presets.shades_classic,
    );
  }

  readonly update = (event: ProgressEvent): void => {
    const total = event.total ?? event.received;
    const bar = this.byFile.get(event.file);
    if (bar === undefined) {
      this.byFile.set(event.file, this.bars.create(total, event.received, { file: event.file }));
      return;
    }
    bar.setTotal(total);
    bar.update(event.received);
  };

  get downloadedFiles(): number {
    return this.byFile.size;
  }

  stop(): void {
    this.bars.stop();
  }
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
