import type { HfModelRef } from '../../model-ref.js';
import type { ResolvedModelStoreOptions } from '../../model-store.options.js';
import { ModelFetchError } from '../../model-store.errors.js';
import { getJson } from '../../fetch/http-json.js';
import type { FailureContext } from '../../fetch/http-errors.js';
import { isSafeRelativePath } from '../../files/safe-relative-path.js';
import type { HfRevisionInfo, HfTreeEntry, HfTreeFile } from './hf-api.types.js';

const GIT_OID = /^[0-9a-f]{40}$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** The two hub API calls the store needs, plus the `resolve` URL layout for file downloads. */
export class HfApiClient {
  private readonly origin: string;

  constructor(private readonly options: ResolvedModelStoreOptions) {
    this.origin = new URL(options.endpoint).origin;
  }

  /** Advice attached to 401/403 errors. */
  get accessHint(): string {
    return this.options.token === undefined
      ? 'The repo may be private or gated (or may not exist): set HF_TOKEN to a token with read access.'
      : 'Check that HF_TOKEN is valid and can read this repo; for a gated repo, accept its conditions on the model page.';
  }

  /** The commit a branch, tag or sha points at now. */
  async commitSha(ref: HfModelRef, signal: AbortSignal | undefined): Promise<string> {
    const url = `${this.options.endpoint}/api/models/${ref.repo}/revision/${encodeURIComponent(ref.revision)}`;
    const { body } = await getJson<Partial<HfRevisionInfo>>(url, this.request(ref, signal), this.options);
    if (typeof body?.sha !== 'string' || !GIT_OID.test(body.sha))
      throw unexpected(ref, 'revision info without a commit sha');
    return body.sha;
  }

  /** Every file of the commit with size and hashes, following the tree API's `Link: rel="next"` pages. */
  async listFiles(ref: HfModelRef, commit: string, signal: AbortSignal | undefined): Promise<HfTreeFile[]> {
    const files: HfTreeFile[] = [];
    let url: string | undefined = `${this.options.endpoint}/api/models/${ref.repo}/tree/${commit}?recursive=true`;
    while (url !== undefined) {
      const { body, headers }: { body: unknown; headers: Headers } = await getJson(
        url,
        this.request(ref, signal),
        this.options,
      );
      if (!Array.isArray(body)) throw unexpected(ref, 'a tree listing that is not an array');
      for (const entry of body) if (this.checkedEntry(ref, entry).type === 'file') files.push(entry as HfTreeFile);
      url = this.nextPage(ref, headers.get('link'), url);
    }
    return files;
  }

  fileUrl(repo: string, commit: string, path: string): string {
    return `${this.options.endpoint}/${repo}/resolve/${commit}/${path.split('/').map(encodeURIComponent).join('/')}`;
  }

  describe(ref: HfModelRef, file?: string): string {
    return file === undefined ? ref.uri : `${ref.uri}: ${file}`;
  }

  private request(
    ref: HfModelRef,
    signal: AbortSignal | undefined,
  ): { token: string | undefined; signal: AbortSignal | undefined; context: FailureContext } {
    return { token: this.options.token, signal, context: { what: ref.uri, accessHint: this.accessHint } };
  }

  /** Paths and oids become file names on disk, so anything odd is refused rather than trusted. */
  private checkedEntry(ref: HfModelRef, entry: unknown): HfTreeEntry {
    const e = entry as Partial<HfTreeEntry> | null;
    if (e?.type === 'directory') return e as HfTreeEntry;
    const valid =
      e?.type === 'file' &&
      typeof e.path === 'string' &&
      isSafeRelativePath(e.path) &&
      Number.isSafeInteger(e.size) &&
      typeof e.oid === 'string' &&
      GIT_OID.test(e.oid) &&
      (e.lfs === undefined || (typeof e.lfs.oid === 'string' && SHA256.test(e.lfs.oid)));
    if (!valid) throw unexpected(ref, `tree entry ${JSON.stringify(entry).slice(0, 120)}`);
    return e as HfTreeEntry;
  }

  /** The token goes only to the endpoint, so a next-page link elsewhere is refused. */
  private nextPage(ref: HfModelRef, link: string | null, current: string): string | undefined {
    const target = /<([^>]+)>\s*;\s*rel="?next"?/.exec(link ?? '')?.[1];
    if (target === undefined) return undefined;
    const next = new URL(target, current);
    if (next.origin !== this.origin) throw unexpected(ref, `a next page on another host (${next.origin})`);
    return next.href;
  }
}

function unexpected(ref: HfModelRef, what: string): ModelFetchError {
  return new ModelFetchError(`${ref.uri}: unexpected answer from the hub: ${what}`, { retriable: false });
}
