import { createHash } from 'node:crypto';
import type { ImageProgram } from './image.programs.js';
import { repositoryOf } from './image.programs.js';
import { CriError } from './cri.error.js';
import type { ImageSpec } from './cri.types.js';

interface PulledImage {
  id: string;
  tags: Set<string>;
}

/**
 * The image service's side of the process runtime. Every tag of a repository a local program runs (see
 * image.programs.ts) is present on the node, as if side-loaded (`kind load`), so `imagePullPolicy: Never` works as
 * in a local cluster; pulling one succeeds; any other image can be neither pulled nor found, so the kubelet's
 * ErrImagePull, ImagePullBackOff and ErrImageNeverPull are real.
 */
export class ImageStore {
  private readonly pulled = new Map<string, PulledImage>();

  constructor(private readonly programs: ReadonlyMap<string, ImageProgram>) {}

  pull(spec: ImageSpec): string {
    const repository = repositoryOf(spec.image);
    if (!this.programs.has(repository)) {
      throw new CriError(
        'NOT_FOUND',
        `failed to pull image "${spec.image}": ${repository}: not found (this runtime runs ${[...this.programs.keys()].join(', ')})`,
      );
    }
    const id = imageId(repository);
    const image = this.pulled.get(id) ?? { id, tags: new Set<string>() };
    image.tags.add(spec.image);
    this.pulled.set(id, image);
    return id;
  }

  /** The present image a reference names: its id, or a tag of a local program's repository. */
  find(reference: string): PulledImage | undefined {
    const byId = this.pulled.get(reference);
    if (byId) return byId;
    const byTag = [...this.pulled.values()].find((image) => image.tags.has(reference));
    if (byTag || !this.programs.has(repositoryOf(reference))) return byTag;
    this.pull({ image: reference });
    return this.find(reference);
  }

  program(reference: string): ImageProgram {
    const image = this.find(reference);
    const tag = image ? [...image.tags][0] : undefined;
    const program = tag ? this.programs.get(repositoryOf(tag)) : undefined;
    if (!image || !program) throw new CriError('NOT_FOUND', `image "${reference}" is not present`);
    return program;
  }

  remove(reference: string): void {
    const image = this.find(reference);
    if (image) this.pulled.delete(image.id);
  }

  list(): PulledImage[] {
    return [...this.pulled.values()];
  }
}

/** A content address for a local program's image: stable across restarts, distinct per repository. */
export function imageId(repository: string): string {
  return `sha256:${createHash('sha256').update(repository).digest('hex')}`;
}

/** The CRI Image message; the size is nominal, since nothing is stored. */
export function imageMessage(image: PulledImage) {
  const tags = [...image.tags];
  return { id: image.id, repo_tags: tags, repo_digests: [], size: '1', spec: { image: tags[0] ?? image.id } };
}
