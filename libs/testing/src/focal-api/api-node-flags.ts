/**
 * The Node flags the API process runs with, wherever it is started: docker/api.Dockerfile's CMD,
 * scripts/run.sh, `npm run start:api`, the node agent's focal/api program and the test and bench launcher.
 * test/helm/api-node-flags.test.ts checks that they all say the same.
 *
 * `--max-semi-space-size=4` (MB; V8's default grows to 16): the API's garbage is mostly response text and the
 * Buffers of bodies and frames (about 1 MB a call of backing stores). With a 16 MB semi-space, what is still in
 * flight at each scavenge is promoted and waits for a full collection; a 4 MB one scavenges it sooner. Fresh APIs
 * under 15 s of c=8 JSON with the ViT-S/16 peaked at 178–182 MB against 200–206 MB (five each), with the same
 * req/s (16.37 against 16.28) and the same c=1 latency (BENCHMARKS.md, the 2026-12-03 reading). Only the API:
 * NODE_OPTIONS would reach the workers it forks, so it is not used for this.
 */
export const API_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
