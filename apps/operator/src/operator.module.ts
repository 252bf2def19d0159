import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LoggerService } from '@nestjs/common';
import type { OperatorConfig } from '@focal/config';
import type { MetricsRegistry } from '@focal/platform';
import type { KubeAdapters } from './cluster/cluster.ports.js';
import { SYSTEM_CLOCK, type Clock } from './common/clock.js';
import type { OperatorLog } from './common/operator-log.js';
import { ApiLoadScraper } from './autoscaling/api-load.scraper.js';
import { AutoscalerController } from './autoscaling/autoscaler.controller.js';
import { AutoscalerMetrics } from './autoscaling/autoscaler.metrics.js';
import { AutoscalerReconciler } from './autoscaling/autoscaler.reconciler.js';
import { ControllerGroup } from './controller/controller.group.js';
import type { QueueTimers } from './controller/key.queue.js';
import { ModelDeploymentController } from './controller/model-deployment.controller.js';
import { ModelDeploymentReconciler } from './controller/model-deployment.reconciler.js';
import { EventRecorder } from './events/event.recorder.js';
import { LeaderElector } from './leader/leader.elector.js';
import { ALWAYS_LEADING } from './leader/leadership.gate.js';
import { OperatorMetrics } from './observability/operator.metrics.js';
import { OperatorRunner } from './operator.runner.js';

export interface OperatorModuleOptions {
  config: OperatorConfig;
  kube: KubeAdapters;
  metrics: MetricsRegistry;
  log: OperatorLog;
  clock?: Clock;
  timers?: QueueTimers;
}

export const OPERATOR_OPTIONS = Symbol('OPERATOR_OPTIONS');
/** The LeaderElector, or null when FOCAL_LEADER_ELECTION=false. */
export const LEADER_ELECTOR = Symbol('LEADER_ELECTOR');

/**
 * Wires the operator from its options. Every provider is a factory with explicit `inject`, so no
 * constructor relies on emitted type metadata (interfaces have none at runtime).
 */
@Module({})
export class OperatorModule {
  static forRoot(options: OperatorModuleOptions): DynamicModule {
    const clock = options.clock ?? SYSTEM_CLOCK;
    const { config, kube, log } = options;
    return {
      module: OperatorModule,
      providers: [
        { provide: OPERATOR_OPTIONS, useValue: options },
        { provide: OperatorMetrics, useFactory: () => new OperatorMetrics(options.metrics) },
        { provide: EventRecorder, useFactory: () => new EventRecorder(kube.resources, config.podName, clock, log) },
        {
          provide: ModelDeploymentReconciler,
          useFactory: (events: EventRecorder, metrics: OperatorMetrics) =>
            new ModelDeploymentReconciler(kube.resources, config.modelPods, events, metrics, clock, log),
          inject: [EventRecorder, OperatorMetrics],
        },
        {
          provide: ModelDeploymentController,
          useFactory: (
            reconciler: ModelDeploymentReconciler,
            metrics: OperatorMetrics,
            elector: LeaderElector | null,
          ) =>
            new ModelDeploymentController(kube.watches, kube.resources, reconciler, metrics, log, {
              namespace: config.watchAllNamespaces ? undefined : config.namespace,
              workers: config.workers,
              resyncPeriodMs: config.resyncPeriodMs,
              backoff: config.backoff,
              drainTimeoutMs: config.shutdownTimeoutMs,
              gate: elector ?? ALWAYS_LEADING,
              ...(options.timers ? { timers: options.timers } : {}),
            }),
          inject: [ModelDeploymentReconciler, OperatorMetrics, LEADER_ELECTOR],
        },
        {
          provide: AutoscalerController,
          useFactory: (events: EventRecorder, elector: LeaderElector | null) => {
            const { autoscaler } = config;
            const scraper = new ApiLoadScraper(
              kube.resources,
              {
                namespace: autoscaler.apiNamespace,
                labelSelector: autoscaler.apiSelector,
                port: autoscaler.apiPort,
                timeoutMs: autoscaler.scrapeTimeoutMs,
              },
              log,
            );
            const metrics = new AutoscalerMetrics(options.metrics);
            let controller: AutoscalerController | undefined = undefined;
            const reconciler = new AutoscalerReconciler(
              kube.resources,
              events,
              clock,
              log,
              { windowMs: autoscaler.windowMs, apiNamespace: autoscaler.apiNamespace },
              () => controller?.latestLoad(),
              metrics,
            );
            controller = new AutoscalerController(
              kube.watches,
              scraper,
              reconciler,
              log,
              {
                namespace: config.watchAllNamespaces ? undefined : config.namespace,
                intervalMs: autoscaler.intervalMs,
                backoff: config.backoff,
                gate: elector ?? ALWAYS_LEADING,
              },
              metrics,
            );
            return controller;
          },
          inject: [EventRecorder, LEADER_ELECTOR],
        },
        {
          provide: LEADER_ELECTOR,
          useFactory: () => {
            const election = config.leaderElection;
            if (!election.enabled) return null;
            return new LeaderElector(
              kube.resources,
              {
                namespace: config.namespace,
                leaseName: election.leaseName,
                identity: config.podName,
                leaseDurationSeconds: election.leaseDurationSeconds,
                renewPeriodMs: election.renewPeriodMs,
                renewDeadlineMs: election.renewDeadlineMs,
                retryPeriodMs: election.retryPeriodMs,
              },
              clock,
              log,
            );
          },
        },
        {
          provide: OperatorRunner,
          useFactory: (
            controller: ModelDeploymentController,
            autoscaler: AutoscalerController,
            elector: LeaderElector | null,
            metrics: OperatorMetrics,
          ) =>
            new OperatorRunner(
              new ControllerGroup([controller, autoscaler]),
              elector,
              metrics,
              options.metrics,
              config.metrics,
              log,
            ),
          inject: [ModelDeploymentController, AutoscalerController, LEADER_ELECTOR, OperatorMetrics],
        },
      ],
    };
  }
}

/** A Nest application context with the operator in it; `init()` starts it, `close()` shuts it down gracefully. */
export function createOperatorContext(
  options: OperatorModuleOptions,
  logger: LoggerService | false = false,
): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(OperatorModule.forRoot(options), { logger, abortOnError: false });
}
