/**
 * The Node flags the API process runs with, wherever it is started: docker/api.Dockerfile's CMD,
 * scripts/run.sh, `npm run start:api`, the process runtime's focal/api program and the test and bench launcher.
 * test/helm/api-node-flags.test.ts checks that they all say the same.
 *
 * `--max-semi-space-size=4` (MB): under the API's allocation (response text, request bodies, worker frames)
 * V8 grows its new space to two 16 MB semi-spaces by default; 4 MB caps it at 2 × 4 MB, 24 MB less resident, and
 * dead young Buffers give back their backing stores at each scavenge, which now comes four times as often. Fresh
 * APIs under 15 s of c=8 JSON with the ViT-S/16 peaked at 178–182 MB against 200–206 MB (five each), with the same
 * req/s (16.37 against 16.28) and the same c=1 latency (BENCHMARKS.md, the 2026-12-03 reading). Only the API:
 * NODE_OPTIONS would reach the workers it forks, so it is not used for this.
 */
export const API_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
