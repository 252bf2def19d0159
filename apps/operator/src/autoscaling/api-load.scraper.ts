import type { PodAddressApi } from '../cluster/cluster.ports.js';
import { errorMessage, type OperatorLog } from '../common/operator-log.js';
import { parseInFlight } from './in-flight.metrics.js';

export interface ApiPodsTarget {
  namespace: string;
  labelSelector: string;
  port: number;
  timeoutMs: number;
}

/** The load every API pod reported at one scrape, summed per model type. */
export interface LoadSnapshot {
  /** Epoch ms. */
  at: number;
  inFlight: Map<string, number>;
  /** API pods answered / listed. */
  scraped: number;
  listed: number;
}

const hostOf = (ip: string) => (ip.includes(':') ? `[${ip}]` : ip);

/**
 * Reads `focal_model_in_flight_requests` from every running API pod's /metrics, at its pod IP (a Service would
 * answer for one pod only, and a ClusterIP is not routable from everywhere), and sums per model type: each API
 * replica sees only the requests it holds, so the cluster's load is the sum, as KubeAI's autoscaler does.
 * Undefined when no API pod answered: no decision is better than one taken on a load of zero that was not measured.
 */
export class ApiLoadScraper {
  constructor(
    private readonly pods: PodAddressApi,
    private readonly target: ApiPodsTarget,
    private readonly log: OperatorLog,
  ) {}

  async scrape(now: number): Promise<LoadSnapshot | undefined> {
    const pods = await this.pods.listPodAddresses(this.target.namespace, this.target.labelSelector);
    const pages = await Promise.all(pods.map((pod) => this.read(pod.name, pod.ip)));
    const answered = pages.filter((page): page is string => page !== undefined);
    if (answered.length === 0) return undefined;
    const inFlight = new Map<string, number>();
    for (const page of answered) {
      for (const [model, count] of parseInFlight(page)) inFlight.set(model, (inFlight.get(model) ?? 0) + count);
    }
    return { at: now, inFlight, scraped: answered.length, listed: pods.length };
  }

  private async read(pod: string, ip: string): Promise<string | undefined> {
    const url = `http://${hostOf(ip)}:${this.target.port}/metrics`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(this.target.timeoutMs) });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await response.text();
    } catch (error) {
      this.log.warn({ msg: 'could not scrape API pod', pod, url, error: errorMessage(error) });
      return undefined;
    }
  }
}
