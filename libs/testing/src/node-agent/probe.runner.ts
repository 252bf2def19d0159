import { spawn } from 'node:child_process';
import net from 'node:net';
import type { ContainerSpec, Probe } from './pod.types.js';

export interface ProbeTarget {
  podIp: string;
  container: ContainerSpec;
  env: Record<string, string>;
}

/** A named port resolves through the container's ports, as in the kubelet. */
export function resolvePort(port: number | string, container: ContainerSpec): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`port ${port} is not a named port of container ${container.name}`);
  return named.containerPort;
}

/**
 * Inside a pod, 127.0.0.1 is the pod itself. Here every pod shares the host's loopback, so an exec
 * probe's loopback address is the pod's own address.
 */
export function podLocal(argv: string[], podIp: string): string[] {
  return argv.map((arg) => (arg === '127.0.0.1' || arg === 'localhost' ? podIp : arg));
}

/** One probe attempt: true on success (HTTP 200–399, a TCP connect, exit code 0). */
export async function runProbe(probe: Probe, target: ProbeTarget): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  try {
    if (probe.httpGet) {
      const { path = '/', port, host, scheme = 'HTTP' } = probe.httpGet;
      const url = `${scheme.toLowerCase()}://${host ?? target.podIp}:${resolvePort(port, target.container)}${path}`;
      const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      await response.body?.cancel();
      return response.status >= 200 && response.status < 400;
    }
    if (probe.tcpSocket) {
      const port = resolvePort(probe.tcpSocket.port, target.container);
      return await connects(probe.tcpSocket.host ?? target.podIp, port, timeoutMs);
    }
    if (probe.exec) return await exitsZero(podLocal(probe.exec.command, target.podIp), target.env, timeoutMs);
  } catch {
    return false;
  }
  return false;
}

function connects(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function exitsZero(argv: string[], env: Record<string, string>, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] ?? 'false', argv.slice(1), { env, stdio: 'ignore', timeout: timeoutMs });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}
