import { FakeKubeApiServer } from '@focal/testing';
import {
  createMd,
  DEPLOYMENT_COLLECTION,
  eventually,
  NS,
  phaseOf,
  settle,
  startOperator,
  type RunningOperator,
} from './support/operator.harness.js';

let server: FakeKubeApiServer;
let operator: RunningOperator;

beforeEach(async () => {
  server = new FakeKubeApiServer({ historyLimit: 5 });
  await server.start();
  operator = await startOperator(server);
});

afterEach(async () => {
  await operator.stop();
  await server.stop();
});

describe('operator: watches across API server trouble', () => {
  it('relists after a partition that outlived the watch history, and restarts watches the server refused', async () => {
    createMd(server, 'dino');
    await phaseOf(server, 'dino', 'Pending');
    await settle(operator);

    server.pauseWatches();
    // Missed while disconnected, and pushed out of the history, so resuming gets 410 Gone.
    server.markDeploymentReady(NS, 'focal-model-dino');
    server.compactHistory();
    // Then the relist and the next watches fail: client-node's informer would stop for good here.
    server.failNext({ method: 'GET', path: DEPLOYMENT_COLLECTION, code: 500, times: 3 });
    server.resumeWatches();

    await phaseOf(server, 'dino', 'Ready');
    await eventually(
      () => (operator.log.messages('warn').includes('watch failed, retrying') ? true : undefined),
      'the failed watch to be logged',
    );
  });

  it('resumes after the server closes its watches (request timeout)', async () => {
    createMd(server, 'dino');
    await phaseOf(server, 'dino', 'Pending');
    server.closeWatches();
    server.markDeploymentReady(NS, 'focal-model-dino');
    await phaseOf(server, 'dino', 'Ready');
  });
});
