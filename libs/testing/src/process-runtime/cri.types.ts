/**
 * The slices of the CRI v1 messages (k8s.io/cri-api, runtime/v1/api.proto) the process runtime reads and writes, as
 * @grpc/proto-loader hands them over with `keepCase`: snake_case fields, enums as their names, int64 as decimal
 * strings (nanosecond timestamps do not fit a double).
 */
export type Labels = Record<string, string>;

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  log_directory?: string;
  labels?: Labels;
  annotations?: Labels;
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface CriMount {
  container_path: string;
  host_path: string;
  readonly?: boolean;
}

export interface ImageSpec {
  image: string;
  annotations?: Labels;
  user_specified_image?: string;
}

export interface ContainerConfig {
  metadata: { name: string; attempt: number };
  image: ImageSpec;
  command?: string[];
  args?: string[];
  working_dir?: string;
  envs?: Array<{ key: string; value: Buffer | string }>;
  mounts?: CriMount[];
  labels?: Labels;
  annotations?: Labels;
  log_path?: string;
  linux?: { security_context?: LinuxContainerSecurityContext | null } | null;
}

/** The user fields of LinuxContainerSecurityContext (int64 as decimal strings, wrappers as `{value}`). */
export interface LinuxContainerSecurityContext {
  run_as_user?: { value: string } | null;
  run_as_group?: { value: string } | null;
  supplemental_groups?: string[];
}

export interface PodSandboxFilter {
  id?: string;
  state?: { state: PodSandboxState } | null;
  label_selector?: Labels;
}

export interface ContainerFilter {
  id?: string;
  state?: { state: ContainerState } | null;
  pod_sandbox_id?: string;
  label_selector?: Labels;
}

/**
 * The fields of the CRI requests the handlers read, across every call (each call sets its own few; proto-loader
 * fills the rest with defaults).
 */
export interface CriRequest {
  config: PodSandboxConfig & ContainerConfig;
  runtime_handler?: string;
  pod_sandbox_id: string;
  container_id: string;
  filter?: PodSandboxFilter & ContainerFilter;
  timeout?: string | number;
  cmd?: string[];
  image: ImageSpec;
}
