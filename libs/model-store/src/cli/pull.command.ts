import { parseArgs } from 'node:util';
import { defaultModelSource } from '../default-models.js';
import { parseModelRef } from '../model-ref.parser.js';
import { ModelStore } from '../model.store.js';
import type { ModelStoreOptions } from '../model-store.options.js';
import { DownloadProgress } from './download-progress.js';

export const PULL_USAGE = `Usage: focal models pull <model type | model id> [--revision <rev>] [--files <pattern,...>]

  <model type>   sam3, grounding_dino (grounding-dino), depth_anything (depth-anything) or dinov3:
                 pulls the type's default public ONNX export and only the files it needs
  <model id>     org/name[@rev], hf://org/name[@rev], https://host/path/model.onnx,
                 https://host/folder/ (with focal-files.json), file:///abs/path or /abs/path
  --revision, -r branch, tag or commit of a hub repo (default main)
  --files, -f    comma-separated glob patterns, e.g. "onnx/model_fp16.onnx,*.json"

Environment: HF_ROOT_FOLDER (cache root), HF_TOKEN, HF_ENDPOINT, HF_HUB_OFFLINE, HF_HUB_DOWNLOAD_TIMEOUT.
Prints the local model folder on stdout; progress goes to stderr.`;

export interface PullCliContext {
  /** Reads the store settings (from the environment in the real CLI); may throw on bad values. */
  readonly readOptions: () => ModelStoreOptions;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly signal?: AbortSignal;
}

/** What to pull, worked out from the arguments. */
export interface PullPlan {
  readonly id: string;
  readonly files: readonly string[] | undefined;
}

class UsageError extends Error {}

/** Runs `models pull …` and returns the process exit code: 0 done, 1 failed, 2 bad usage, 130 interrupted. */
export async function runPullCli(argv: readonly string[], context: PullCliContext): Promise<number> {
  let plan: PullPlan | 'help';
  let options: ModelStoreOptions;
  try {
    plan = planPull(argv);
    if (plan === 'help') return write(context.stdout, PULL_USAGE, 0);
    options = context.readOptions();
  } catch (error) {
    const hint = error instanceof UsageError ? `\n\n${PULL_USAGE}` : '';
    return write(context.stderr, `error: ${(error as Error).message}${hint}`, 2);
  }
  return pull(plan, options, context);
}

/** Parses the arguments into what to pull; bare model types map to DEFAULT_MODEL_SOURCES. */
export function planPull(argv: readonly string[]): PullPlan | 'help' {
  const { values, positionals } = parseCommandLine(argv);
  if (values.help) return 'help';
  const [group, command, target, ...extra] = positionals;
  if (group !== 'models' || command !== 'pull' || target === undefined || extra.length > 0) {
    throw new UsageError('expected: models pull <model type | model id>');
  }
  const files = values.files
    ?.split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const fallback = defaultFor(target);
  const id = values.revision === undefined ? fallback.id : withRevision(fallback.id, values.revision);
  return { id, files: files ?? fallback.files };
}

function parseCommandLine(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        revision: { type: 'string', short: 'r' },
        files: { type: 'string', short: 'f' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function defaultFor(target: string): PullPlan {
  const known = defaultModelSource(target);
  if (known === undefined) return { id: target, files: undefined };
  if (known.source.kind === 'repo') return { id: known.source.id, files: known.source.files };
  const candidates = known.source.candidates.map((id) => `  focal models pull ${id}`).join('\n');
  throw new Error(
    `${known.type} has no default model. ${known.source.reason}\nName an export explicitly, e.g.:\n${candidates}`,
  );
}

function withRevision(id: string, revision: string): string {
  const ref = parseModelRef(id);
  if (ref.source !== 'hf') throw new UsageError('--revision applies to hub repos only');
  if (id.includes('@')) throw new UsageError(`give the revision once: "${id}" already has one`);
  return `hf://${ref.repo}@${revision}`;
}

async function pull(plan: PullPlan, options: ModelStoreOptions, context: PullCliContext): Promise<number> {
  const progress = new DownloadProgress(context.stderr);
  try {
    const store = new ModelStore(options);
    const model = await store.ensure(plan.id, {
      files: plan.files,
      onProgress: progress.update,
      signal: context.signal,
    });
    progress.stop();
    const fetched = progress.downloadedFiles === 0 ? 'all from cache' : `${progress.downloadedFiles} downloaded`;
    write(context.stderr, `${model.ref.uri}: ${model.files.length} files (${fetched}) in ${model.dir}`, 0);
    return write(context.stdout, model.dir, 0);
  } catch (error) {
    progress.stop();
    if (context.signal?.aborted) return write(context.stderr, 'interrupted; run the same command again to resume', 130);
    return write(context.stderr, `error: ${(error as Error).message}`, error instanceof UsageError ? 2 : 1);
  }
}

function write(stream: NodeJS.WritableStream, text: string, code: number): number {
  stream.write(`${text}\n`);
  return code;
}
