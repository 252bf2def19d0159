#!/usr/bin/env node
// Entry point of `focal models pull`; after `npm run build`:
//   node dist/libs/model-store/src/cli/pull.cli.js models pull depth-anything
import { modelStoreOptionsFromEnv } from './cli-options.js';
import { runPullCli } from './pull.command.js';

const interrupt = new AbortController();
// The first Ctrl-C stops cleanly, keeping partial downloads for a resume; a second one kills the process.
process.once('SIGINT', () => interrupt.abort());
process.once('SIGTERM', () => interrupt.abort());

process.exitCode = await runPullCli(process.argv.slice(2), {
  readOptions: () => modelStoreOptionsFromEnv(),
  stdout: process.stdout,
  stderr: process.stderr,
  signal: interrupt.signal,
});
