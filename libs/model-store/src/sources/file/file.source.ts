import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { FileModelRef } from '../../model-ref.js';
import type { EnsuredModel, FetchRequest, ModelSource } from '../../model-source.js';
import { ModelNotFoundError } from '../../model-store.errors.js';
import { FileSelection } from '../../files/file-selection.js';
import { listFiles } from '../../files/list-files.js';

/**
 * Local folders (or a single file) used in place: nothing is copied, so a mounted volume or a
 * developer's export folder is served as it is. Offline mode does not apply.
 */
export class FileSource implements ModelSource<FileModelRef> {
  async ensure(ref: FileModelRef, request: FetchRequest): Promise<EnsuredModel<FileModelRef>> {
    const stats = await stat(ref.path).catch(() => undefined);
    if (stats === undefined) throw new ModelNotFoundError(`${ref.path} does not exist`);
    const dir = stats.isDirectory() ? ref.path : dirname(ref.path);
    const available = stats.isDirectory() ? await listFiles(ref.path) : [basename(ref.path)];
    const selection = new FileSelection(request.patterns);
    const { files, missingPaths } = selection.select(available);
    if (missingPaths.length > 0)
      throw new ModelNotFoundError(`${ref.path}: file not found: ${missingPaths.join(', ')}`);
    if (files.length === 0) throw new ModelNotFoundError(`${ref.path}: no file matches ${selection.describe()}`);
    return { dir, ref, files };
  }
}
