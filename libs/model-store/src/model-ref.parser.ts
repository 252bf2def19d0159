import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  DEFAULT_REVISION,
  type FileModelRef,
  type HfModelRef,
  type HttpsModelRef,
  type ModelRef,
} from './model-ref.js';
import { InvalidModelIdError } from './model-store.errors.js';

// Same rules as huggingface_hub's validate_repo_id: optional namespace, word characters, '-' and '.',
// no '--' or '..', at most 96 characters.
const REPO_SEGMENT = '[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?';
const REPO_ID = new RegExp(`^(?:${REPO_SEGMENT}/)?${REPO_SEGMENT}$`);
const REVISION = /^[A-Za-z0-9._+-]+(?:\/[A-Za-z0-9._+-]+)*$/;
const SHA256_PIN = /^#sha256=([0-9a-f]{64})$/;

/**
 * Parses what users and the ModelDeployment CRD call a model id:
 * `org/name[@rev]`, `hf://org/name[@rev]`, `https://…/file`, `https://…/folder/`,
 * `file:///abs/path` or `/abs/path`.
 */
export function parseModelRef(id: string): ModelRef {
  const text = id.trim();
  if (text === '') throw new InvalidModelIdError('Model id is empty');
  if (text.startsWith('hf://')) return parseHfRef(text.slice('hf://'.length), text);
  if (/^https?:\/\//i.test(text)) return parseHttpsRef(text);
  if (/^file:/i.test(text)) return fileRef(fileUrlToPath(text));
  if (isAbsolute(text)) return fileRef(text);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new InvalidModelIdError(
      `Unsupported scheme in "${text}": use an hf repo id, hf://, https://, file:// or an absolute path`,
    );
  }
  return parseHfRef(text, text);
}

function parseHfRef(body: string, original: string): HfModelRef {
  const at = body.indexOf('@');
  const repo = at === -1 ? body : body.slice(0, at);
  const revision = at === -1 ? DEFAULT_REVISION : body.slice(at + 1);
  if (!isValidRepoId(repo)) {
    throw new InvalidModelIdError(
      `"${original}" is not a Hugging Face repo id (org/name) nor a URI; local folders need an absolute path or file://`,
    );
  }
  if (!isValidRevision(revision)) throw new InvalidModelIdError(`Invalid revision "${revision}" in "${original}"`);
  return { source: 'hf', repo, revision, uri: `hf://${repo}@${revision}` };
}

export function isValidRepoId(repo: string): boolean {
  return (
    repo.length <= 96 && REPO_ID.test(repo) && !repo.includes('--') && !repo.includes('..') && !repo.endsWith('.git')
  );
}

export function isValidRevision(revision: string): boolean {
  return REVISION.test(revision) && !revision.split('/').includes('..');
}

function parseHttpsRef(text: string): HttpsModelRef {
  const url = new URL(text);
  if (url.username !== '' || url.password !== '') {
    throw new InvalidModelIdError(`Credentials in model URLs are not supported: ${url.host}`);
  }
  const pin = SHA256_PIN.exec(url.hash.toLowerCase());
  if (url.hash !== '' && pin === null) {
    throw new InvalidModelIdError(`Unsupported URL fragment "${url.hash}": only #sha256=<64 hex digits> is understood`);
  }
  const kind = url.pathname.endsWith('/') ? 'folder' : 'file';
  if (kind === 'folder' && pin !== null) {
    throw new InvalidModelIdError('A #sha256 pin applies to single files; put hashes for folders in focal-files.json');
  }
  url.hash = '';
  const sha256 = pin?.[1];
  return {
    source: 'https',
    url: url.href,
    kind,
    sha256,
    uri: sha256 === undefined ? url.href : `${url.href}#sha256=${sha256}`,
  };
}

function fileUrlToPath(text: string): string {
  try {
    return fileURLToPath(text);
  } catch (error) {
    throw new InvalidModelIdError(`Invalid file URI "${text}": ${(error as Error).message}`);
  }
}

function fileRef(path: string): FileModelRef {
  const absolute = resolve(path);
  return { source: 'file', path: absolute, uri: pathToFileURL(absolute).href };
}
