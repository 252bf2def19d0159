import { stringify } from 'yaml';

/**
 * A kubeconfig for the fake server, in the shape client-node's `KubeConfig.loadFromOptions`
 * takes. client-node refuses an http:// server unless skipTLSVerify is set, so it always is.
 */
export interface FakeKubeConfigOptions {
  clusters: Array<{ name: string; server: string; skipTLSVerify: boolean }>;
  users: Array<{ name: string; token: string }>;
  contexts: Array<{ name: string; cluster: string; user: string; namespace: string }>;
  currentContext: string;
}

const NAME = 'focal-fake';

export function kubeConfigOptions(server: string, token: string, namespace: string): FakeKubeConfigOptions {
  return {
    clusters: [{ name: NAME, server, skipTLSVerify: true }],
    users: [{ name: NAME, token }],
    contexts: [{ name: NAME, cluster: NAME, user: NAME, namespace }],
    currentContext: NAME,
  };
}

/** The same kubeconfig as a YAML file, for `KubeConfig.loadFromString` or for kubectl. */
export function kubeConfigYaml(server: string, token: string, namespace: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: NAME, cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: NAME, user: { token } }],
    contexts: [{ name: NAME, context: { cluster: NAME, user: NAME, namespace } }],
    'current-context': NAME,
  });
}
