export { FakeHub } from './fake-hub.server.js';
export type { FakeFault, FakeFaultTarget, FakeHubOptions, FakeHubRequest, FakeRepoSpec } from './fake-hub.types.js';
export type { FakeFileContents } from './fake-repo.js';
export { gitBlobOid, sha256Hex, type FakeFile } from './fake-file.js';
