export const MODEL_STATES = ['unloaded', 'loading', 'ready', 'failed'] as const;
export type ModelState = (typeof MODEL_STATES)[number];

export const DEVICES = ['cuda', 'cpu'] as const;
export type Device = (typeof DEVICES)[number];
