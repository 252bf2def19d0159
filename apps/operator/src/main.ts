import 'reflect-metadata';
import { loadOperatorConfig } from '@focal/config';
import { MetricsRegistry, createLogger } from '@focal/platform';
import { errorMessage } from './common/operator-log.js';
import { createKubeAdapters } from './kubernetes/kube-adapters.factory.js';
import { createOperatorContext } from './operator.module.js';
import { OperatorRunner } from './operator.runner.js';

async function bootstrap(): Promise<void> {
  const config = loadOperatorConfig();
  const logger = createLogger('focal-operator', config.logging);
  const kube = createKubeAdapters({ kind: 'default' });
  const metrics = new MetricsRegistry('operator');
  const app = await createOperatorContext({ config, kube, metrics, log: logger }, logger);

  // Handled here rather than by enableShutdownHooks, so a graceful stop exits 0 instead of re-raising the signal.
  let closing: Promise<void> | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    logger.log({ msg: 'signal received', signal });
    closing = app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ msg: 'shutdown failed', error: errorMessage(error) });
        process.exit(1);
      });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  await app.init();
  logger.log({
    msg: 'operator started',
    api_server: kube.server,
    namespace: config.watchAllNamespaces ? '*' : config.namespace,
    identity: config.podName,
    leader_election: config.leaderElection.enabled,
    metrics_port: app.get(OperatorRunner).httpPort,
  });
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `focal-operator failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
