/** What the runner starts when it leads and stops when it no longer does. */
export interface RunnableController {
  readonly isRunning: boolean;
  start(): Promise<void>;
  stop(options: { drain: boolean }): Promise<void>;
}

/**
 * Several controllers run as one: started in order, stopped in reverse order (the ModelDeployment controller
 * first in, last out, so the autoscaler never writes replicas no reconciler is there to apply).
 */
export class ControllerGroup implements RunnableController {
  constructor(private readonly controllers: RunnableController[]) {}

  get isRunning(): boolean {
    return this.controllers.some((controller) => controller.isRunning);
  }

  async start(): Promise<void> {
    for (const controller of this.controllers) await controller.start();
  }

  async stop(options: { drain: boolean }): Promise<void> {
    for (const controller of [...this.controllers].reverse()) await controller.stop(options);
  }
}
