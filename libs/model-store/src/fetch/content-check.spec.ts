import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrityError } from '../model-store.errors.js';
import { verifyContent } from './content-check.js';

const CONTENT = Buffer.from('{"model_type":"dinov3"}');
const SHA256 = createHash('sha256').update(CONTENT).digest('hex');
// `git hash-object` of the same content.
const GIT_OID = createHash('sha1').update(`blob ${CONTENT.length}\0`).update(CONTENT).digest('hex');

describe('verifyContent', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'focal-check-'));
    path = join(dir, 'config.json');
    await writeFile(path, CONTENT);
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('accepts matching size, sha256 and git blob oid', async () => {
    await expect(
      verifyContent(path, { size: CONTENT.length, sha256: SHA256, gitBlobOid: GIT_OID }, 'config.json'),
    ).resolves.toBeUndefined();
  });

  it('refuses a wrong size before hashing', async () => {
    await expect(verifyContent(path, { size: 1 }, 'config.json')).rejects.toThrow('expected 1 bytes, got 23 bytes');
  });

  it('refuses a wrong sha256 or git oid', async () => {
    await expect(verifyContent(path, { sha256: '0'.repeat(64) }, 'config.json')).rejects.toBeInstanceOf(IntegrityError);
    await expect(verifyContent(path, { gitBlobOid: '0'.repeat(40) }, 'config.json')).rejects.toThrow(/git blob/);
  });
});
