import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { podField, type PodAddresses } from './pod-env.resolver.js';
import { ContainerConfigError, type KeyToPath, type ObjectLookup, type Pod, type VolumeSpec } from './pod.types.js';

/** Mints a ServiceAccount token bound to the pod (TokenRequest), as the kubelet does for projected tokens. */
export type TokenMinter = (pod: Pod, audience: string | undefined, expirationSeconds: number) => Promise<string>;

export interface VolumeContext {
  pod: Pod;
  addresses: PodAddresses;
  lookup: ObjectLookup;
  mintToken: TokenMinter;
  /** The pod's own folder; each volume is a folder inside it. */
  root: string;
}

/** Materialises every volume of the pod as a folder and returns volume name → host folder. */
export async function materialiseVolumes(context: VolumeContext): Promise<Map<string, string>> {
  const folders = new Map<string, string>();
  for (const volume of context.pod.spec.volumes ?? []) {
    folders.set(volume.name, await materialise(volume, context));
  }
  return folders;
}

/** Rewrites the projected and secret-backed files; the kubelet refreshes tokens before they expire. */
export async function refreshVolumes(context: VolumeContext): Promise<void> {
  for (const volume of context.pod.spec.volumes ?? []) {
    if (volume.projected || volume.secret || volume.configMap) await materialise(volume, context);
  }
}

async function materialise(volume: VolumeSpec, context: VolumeContext): Promise<string> {
  const namespace = context.pod.metadata.namespace ?? 'default';
  if (volume.hostPath) return volume.hostPath.path;
  const folder = path.join(context.root, 'volumes', volume.name);
  await mkdir(folder, { recursive: true });
  if (volume.emptyDir) return folder;
  if (volume.persistentVolumeClaim) return folder;
  if (volume.configMap) {
    const data = await context.lookup.configMap(namespace, volume.configMap.name);
    if (!data && !volume.configMap.optional)
      throw new ContainerConfigError(`configmap "${volume.configMap.name}" not found`);
    await writeKeys(folder, data ?? {}, volume.configMap.items);
  }
  if (volume.secret) {
    const data = await context.lookup.secret(namespace, volume.secret.secretName);
    if (!data && !volume.secret.optional)
      throw new ContainerConfigError(`secret "${volume.secret.secretName}" not found`);
    await writeKeys(folder, data ?? {}, volume.secret.items);
  }
  if (volume.downwardAPI) await writeDownward(folder, volume.downwardAPI.items, context);
  for (const source of volume.projected?.sources ?? []) {
    if (source.serviceAccountToken) {
      const { audience, expirationSeconds = 3600, path: file } = source.serviceAccountToken;
      await writeAtomically(path.join(folder, file), await context.mintToken(context.pod, audience, expirationSeconds));
    }
    if (source.configMap) {
      const data = await context.lookup.configMap(namespace, source.configMap.name);
      if (!data && !source.configMap.optional)
        throw new ContainerConfigError(`configmap "${source.configMap.name}" not found`);
      await writeKeys(folder, data ?? {}, source.configMap.items);
    }
    if (source.secret) {
      const data = await context.lookup.secret(namespace, source.secret.name);
      if (!data && !source.secret.optional) throw new ContainerConfigError(`secret "${source.secret.name}" not found`);
      await writeKeys(folder, data ?? {}, source.secret.items);
    }
    if (source.downwardAPI) await writeDownward(folder, source.downwardAPI.items, context);
  }
  return folder;
}

async function writeKeys(folder: string, data: Record<string, string>, items: KeyToPath[] | undefined) {
  const entries = items ? items.map((item) => [item.path, data[item.key]] as const) : Object.entries(data);
  for (const [file, value] of entries) if (value !== undefined) await writeAtomically(path.join(folder, file), value);
}

async function writeDownward(
  folder: string,
  items: Array<{ path: string; fieldRef?: { fieldPath: string } }>,
  context: VolumeContext,
) {
  for (const item of items) {
    if (item.fieldRef)
      await writeAtomically(
        path.join(folder, item.path),
        podField(context.pod, item.fieldRef.fieldPath, context.addresses),
      );
  }
}

/** Readers never see a half-written token: write beside it, then rename over it. */
async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}
