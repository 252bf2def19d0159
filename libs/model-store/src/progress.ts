/** Bytes of one file on disk so far; `total` is undefined when the source does not say. */
export interface ProgressEvent {
  readonly file: string;
  readonly received: number;
  readonly total: number | undefined;
}

export type ProgressListener = (event: ProgressEvent) => void;
