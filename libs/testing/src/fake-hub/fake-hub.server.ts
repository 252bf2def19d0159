import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeFile } from './fake-file.js';
import { FakeRepo, type FakeCommit, type FakeFileContents } from './fake-repo.js';
import { parseRoute, type FakeHubRoute } from './fake-hub.routes.js';
import type { FakeFault, FakeFaultTarget, FakeHubOptions, FakeHubRequest, FakeRepoSpec } from './fake-hub.types.js';
import { parseRange } from './http-range.js';

/** Pause between the last bytes of a cut transfer and the connection drop. */
const CUT_DELAY_MS = 50;

type RouteOf<K extends FakeHubRoute['kind']> = Extract<FakeHubRoute, { kind: K }>;

interface PendingFault {
  readonly fault: FakeFault;
  remaining: number;
}

/**
 * A Hugging Face hub stand-in on a real `node:http` server at 127.0.0.1, serving the hub's
 * URL layout (revision API, tree API, `resolve` downloads with Range, LFS redirects to a CDN
 * on another host name) from in-memory repos, with token-gated private repos and injectable faults.
 */
export class FakeHub {
  private readonly repos = new Map<string, FakeRepo>();
  private readonly faults = new Map<string, PendingFault[]>();
  private readonly log: FakeHubRequest[] = [];
  private readonly settings: Required<FakeHubOptions>;

  private constructor(
    private readonly server: Server,
    options: FakeHubOptions,
  ) {
    this.settings = {
      tokens: options.tokens ?? [],
      lfsThreshold: options.lfsThreshold ?? 1024,
      redirectLfs: options.redirectLfs ?? true,
      treePageSize: options.treePageSize ?? 1000,
      cdnHost: options.cdnHost ?? 'localhost',
    };
  }

  static async start(options: FakeHubOptions = {}): Promise<FakeHub> {
    const server = createServer();
    const hub = new FakeHub(server, options);
    server.on('request', (req, res) => hub.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return hub;
  }

  /** The endpoint to configure as HF_ENDPOINT, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get requests(): readonly FakeHubRequest[] {
    return this.log;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((error) => (error ? reject(error) : resolve())));
  }

  /** Creates a repo with one commit on `main` and returns that commit's sha. */
  addRepo(id: string, spec: FakeRepoSpec): string {
    const repo = new FakeRepo(id, spec.private ?? false, this.settings.lfsThreshold);
    this.repos.set(id, repo);
    return repo.commit(spec.files, 'main');
  }

  /** Pushes changed files to a branch (created from main if new) and returns the new commit's sha. */
  commit(id: string, files: FakeFileContents, branch = 'main'): string {
    return this.repo(id).commit(files, branch);
  }

  sha(id: string, revision = 'main'): string {
    const commit = this.repo(id).resolve(revision);
    if (commit === undefined) throw new Error(`fake hub: ${id} has no revision ${revision}`);
    return commit.sha;
  }

  /** The stored file with the hashes the hub reports, for assertions. */
  file(id: string, path: string, revision = 'main'): FakeFile {
    const file = this.repo(id).resolve(revision)?.files.get(path);
    if (file === undefined) throw new Error(`fake hub: ${id}@${revision} has no file ${path}`);
    return file;
  }

  /** Makes the next `times` matching requests misbehave. */
  injectFault(target: FakeFaultTarget, fault: FakeFault, times = 1): void {
    const key = faultKey(target);
    this.faults.set(key, [...(this.faults.get(key) ?? []), { fault, remaining: times }]);
  }

  /** GET requests that transferred a file's bytes (from `resolve` or the CDN), whole or partial. */
  fileDownloads(repo: string, file: string): FakeHubRequest[] {
    return this.log.filter(
      (entry) =>
        entry.method === 'GET' &&
        (entry.route === 'resolve' || entry.route === 'cdn') &&
        entry.repo === repo &&
        entry.file === file &&
        (entry.status === 200 || entry.status === 206),
    );
  }

  clearRequests(): void {
    this.log.length = 0;
  }

  private repo(id: string): FakeRepo {
    const repo = this.repos.get(id);
    if (repo === undefined) throw new Error(`fake hub: no repo ${id}`);
    return repo;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const route = parseRoute(req.url ?? '/');
    const entry = this.record(req, route);
    res.on('close', () => {
      entry.status = res.statusCode;
    });
    switch (route.kind) {
      case 'revision':
        return this.serveRevision(req, res, route);
      case 'tree':
        return this.serveTree(req, res, route);
      case 'resolve':
        return this.serveResolve(req, res, route);
      case 'cdn':
        return this.serveCdn(req, res, route);
      default:
        return sendError(res, 404, 'Not Found', 'NotFound');
    }
  }

  private record(req: IncomingMessage, route: FakeHubRoute): FakeHubRequest {
    const entry: FakeHubRequest = {
      method: req.method ?? 'GET',
      host: req.headers.host ?? '',
      url: req.url ?? '/',
      route: route.kind,
      repo: 'repo' in route ? route.repo : undefined,
      file: route.kind === 'resolve' || route.kind === 'cdn' ? route.path : undefined,
      range: req.headers.range,
      authorization: req.headers.authorization,
      status: undefined,
    };
    this.log.push(entry);
    return entry;
  }

  private serveRevision(req: IncomingMessage, res: ServerResponse, route: RouteOf<'revision'>): void {
    const commit = this.commitFor(req, res, route, { repo: route.repo, api: 'revision' });
    if (commit === undefined) return;
    const siblings = [...commit.files.keys()].map((rfilename) => ({ rfilename }));
    sendJson(res, {
      _id: route.repo,
      id: route.repo,
      modelId: route.repo,
      sha: commit.sha,
      private: this.repo(route.repo).isPrivate,
      siblings,
    });
  }

  private serveTree(req: IncomingMessage, res: ServerResponse, route: RouteOf<'tree'>): void {
    const commit = this.commitFor(req, res, route, { repo: route.repo, api: 'tree' });
    if (commit === undefined) return;
    const entries = treeEntries(commit.files, route.path, route.recursive);
    const page = entries.slice(route.cursor, route.cursor + this.settings.treePageSize);
    const next = route.cursor + page.length;
    if (next < entries.length) res.setHeader('Link', `<${this.nextTreePage(req, next)}>; rel="next"`);
    sendJson(res, page);
  }

  private nextTreePage(req: IncomingMessage, cursor: number): string {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    url.searchParams.set('cursor', String(cursor));
    return url.href;
  }

  private serveResolve(req: IncomingMessage, res: ServerResponse, route: RouteOf<'resolve'>): void {
    const commit = this.commitFor(req, res, route, { repo: route.repo, file: route.path });
    if (commit === undefined) return;
    const file = commit.files.get(route.path);
    if (file === undefined) return sendError(res, 404, `Entry not found: ${route.path}`, 'EntryNotFound');
    res.setHeader('X-Repo-Commit', commit.sha);
    if (file.lfs && this.settings.redirectLfs) return this.redirectToCdn(res, route, file);
    res.setHeader('ETag', `"${file.lfs ? file.sha256 : file.gitOid}"`);
    this.sendContent(req, res, file.content, { repo: route.repo, file: route.path });
  }

  private redirectToCdn(res: ServerResponse, route: RouteOf<'resolve'>, file: FakeFile): void {
    const query = new URLSearchParams({ repo: route.repo, file: route.path });
    res.writeHead(302, {
      Location: `http://${this.settings.cdnHost}:${this.port}/cdn/${file.sha256}?${query}`,
      'X-Linked-Etag': `"${file.sha256}"`,
      'X-Linked-Size': String(file.size),
    });
    res.end();
  }

  /** Presigned CDN URLs refuse a second credential, so a forwarded Authorization header fails loudly. */
  private serveCdn(req: IncomingMessage, res: ServerResponse, route: RouteOf<'cdn'>): void {
    if (req.headers.authorization !== undefined) {
      return sendError(res, 400, 'Only one auth mechanism allowed', 'InvalidArgument');
    }
    const file = this.findBlob(route.repo, route.sha256);
    if (file === undefined) return sendError(res, 404, 'No such blob', 'NoSuchKey');
    res.setHeader('ETag', `"${route.sha256}"`);
    this.sendContent(req, res, file.content, { repo: route.repo, file: route.path });
  }

  private findBlob(repoId: string, sha256: string): FakeFile | undefined {
    for (const commit of this.repos.get(repoId)?.allCommits() ?? []) {
      for (const file of commit.files.values()) if (file.sha256 === sha256) return file;
    }
    return undefined;
  }

  /** Common checks of every repo route: repo exists, caller may read it, injected status, revision exists. */
  private commitFor(
    req: IncomingMessage,
    res: ServerResponse,
    route: { repo: string; revision: string },
    target: FakeFaultTarget,
  ): FakeCommit | undefined {
    const repo = this.repos.get(route.repo);
    if (repo === undefined) return sendError(res, 404, 'Repository not found', 'RepoNotFound');
    if (repo.isPrivate && !this.settings.tokens.includes(bearerToken(req) ?? '')) {
      return sendError(res, 401, 'Invalid username or password.', 'RepoNotFound');
    }
    const fault = this.takeFault(target, (f) => f.kind === 'status');
    if (fault?.kind === 'status') return sendError(res, fault.status, `Injected ${fault.status}`, 'Injected');
    const commit = repo.resolve(route.revision);
    if (commit === undefined) return sendError(res, 404, `Invalid rev id: ${route.revision}`, 'RevisionNotFound');
    return commit;
  }

  private sendContent(req: IncomingMessage, res: ServerResponse, content: Buffer, target: FakeFaultTarget): void {
    const fault = this.takeFault(target, (f) => f.kind !== 'status');
    const body = fault?.kind === 'corrupt' ? flipFirstByte(content) : content;
    const range = parseRange(req.headers.range, body.length);
    if (range === 'unsatisfiable') {
      res.writeHead(416, { 'Content-Range': `bytes */${body.length}` });
      return void res.end();
    }
    const slice = range === undefined ? body : body.subarray(range.start, range.end + 1);
    res.writeHead(range === undefined ? 200 : 206, {
      'Accept-Ranges': 'bytes',
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(slice.length),
      ...(range === undefined ? {} : { 'Content-Range': `bytes ${range.start}-${range.end}/${body.length}` }),
    });
    if (req.method === 'HEAD') return void res.end();
    writeBody(req, res, slice, fault);
  }

  private takeFault(target: FakeFaultTarget, applies: (fault: FakeFault) => boolean): FakeFault | undefined {
    const pending = this.faults.get(faultKey(target))?.find((entry) => entry.remaining > 0 && applies(entry.fault));
    if (pending === undefined) return undefined;
    pending.remaining -= 1;
    return pending.fault;
  }
}

function writeBody(req: IncomingMessage, res: ServerResponse, body: Buffer, fault: FakeFault | undefined): void {
  if (fault?.kind === 'cut') {
    // A real connection drops some time after the last bytes arrived. Closing at once would make the
    // client's fetch error its body stream while those bytes still sit unread in its queue, and discard them.
    return void res.write(body.subarray(0, fault.afterBytes), () =>
      setTimeout(() => req.socket.destroy(), CUT_DELAY_MS),
    );
  }
  if (fault?.kind === 'stall') return void res.write(body.subarray(0, fault.afterBytes));
  if (fault?.kind === 'slow') return void writeSlowly(res, body, fault.chunkBytes, fault.delayMs);
  res.end(body);
}

function writeSlowly(res: ServerResponse, body: Buffer, chunkBytes: number, delayMs: number): void {
  if (res.destroyed) return;
  if (body.length <= chunkBytes) return void res.end(body);
  res.write(body.subarray(0, chunkBytes));
  setTimeout(() => writeSlowly(res, body.subarray(chunkBytes), chunkBytes, delayMs), delayMs);
}

function treeEntries(files: ReadonlyMap<string, FakeFile>, prefix: string, recursive: boolean): object[] {
  const base = prefix === '' ? '' : `${prefix}/`;
  const directories = new Set<string>();
  const entries: object[] = [];
  for (const [path, file] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!path.startsWith(base)) continue;
    const rest = path.slice(base.length).split('/');
    for (let depth = 1; depth < rest.length && (recursive || depth === 1); depth++) {
      directories.add(base + rest.slice(0, depth).join('/'));
    }
    if (recursive || rest.length === 1) entries.push(fileEntry(path, file));
  }
  const dirEntries = [...directories].sort().map((path) => ({ type: 'directory', oid: '0'.repeat(40), size: 0, path }));
  return [...dirEntries, ...entries];
}

function fileEntry(path: string, file: FakeFile): object {
  const lfs = file.lfs ? { lfs: { oid: file.sha256, size: file.size, pointerSize: 134 } } : {};
  return { type: 'file', oid: file.gitOid, size: file.size, path, ...lfs };
}

function faultKey(target: FakeFaultTarget): string {
  return 'file' in target ? `${target.repo}\0file\0${target.file}` : `${target.repo}\0api\0${target.api}`;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function flipFirstByte(content: Buffer): Buffer {
  const copy = Buffer.from(content);
  if (copy.length > 0) copy[0] = copy[0]! ^ 0xff;
  return copy;
}

/** Errors carry the hub's `X-Error-Code` header so clients can tell a missing repo from a missing file. */
function sendError(res: ServerResponse, status: number, message: string, code: string): undefined {
  res.writeHead(status, { 'Content-Type': 'application/json', 'X-Error-Code': code, 'X-Error-Message': message });
  res.end(JSON.stringify({ error: message }));
  return undefined;
}

function sendJson(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
