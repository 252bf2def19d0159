import { homedir } from 'node:os';
import { modelStoreOptionsFromEnv } from './cli-options.js';

describe('modelStoreOptionsFromEnv', () => {
  it('reads the huggingface_hub variables, HF_ROOT_FOLDER first', () => {
    const options = modelStoreOptionsFromEnv({
      HF_ROOT_FOLDER: '/models',
      HF_HOME: '/ignored',
      HF_ENDPOINT: 'http://mirror',
      HF_TOKEN: 'hf_x',
      HF_HUB_OFFLINE: '1',
      HF_HUB_DOWNLOAD_TIMEOUT: '2.5',
    });
    expect(options).toEqual({
      cacheDir: '/models',
      endpoint: 'http://mirror',
      token: 'hf_x',
      offline: true,
      timeoutMs: 2500,
    });
  });

  it('falls back to HF_HOME, then to ~/.cache/huggingface', () => {
    expect(modelStoreOptionsFromEnv({ HF_HOME: '/home-cache' }).cacheDir).toBe('/home-cache');
    expect(modelStoreOptionsFromEnv({ HF_ROOT_FOLDER: '  ' })).toMatchObject({
      cacheDir: `${homedir()}/.cache/huggingface`,
      offline: false,
    });
  });

  it('refuses values it cannot read', () => {
    expect(() => modelStoreOptionsFromEnv({ HF_HUB_OFFLINE: 'maybe' })).toThrow(/HF_HUB_OFFLINE/);
    expect(() => modelStoreOptionsFromEnv({ HF_HUB_DOWNLOAD_TIMEOUT: '-1' })).toThrow(/HF_HUB_DOWNLOAD_TIMEOUT/);
  });
});
