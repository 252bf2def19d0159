import { allocateResponse, gpuDeviceIds } from './gpu-devices.js';

describe('gpuDeviceIds', () => {
  it('names each GPU as NVIDIA does, stable per node and index, distinct across both', () => {
    const ids = gpuDeviceIds('focal-gpu-0', 2);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(id).toMatch(/^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(2);
    expect(gpuDeviceIds('focal-gpu-0', 2)).toEqual(ids);
    expect(gpuDeviceIds('focal-gpu-1', 2)).not.toContain(ids[0]);
    expect(gpuDeviceIds('focal-gpu-0', 3).slice(0, 2)).toEqual(ids);
  });
});

describe('allocateResponse', () => {
  const known = gpuDeviceIds('n', 3);

  it('gives each container NVIDIA_VISIBLE_DEVICES with exactly its devices', () => {
    const response = allocateResponse(
      { container_requests: [{ devices_ids: [known[1]!] }, { devices_ids: [known[0]!, known[2]!] }] },
      known,
    );
    expect(response.container_responses).toEqual([
      { envs: { NVIDIA_VISIBLE_DEVICES: known[1] } },
      { envs: { NVIDIA_VISIBLE_DEVICES: `${known[0]},${known[2]}` } },
    ]);
  });

  it('refuses a device it never advertised', () => {
    expect(() => allocateResponse({ container_requests: [{ devices_ids: ['GPU-other'] }] }, known)).toThrow(
      'unknown device(s) GPU-other',
    );
  });
});
