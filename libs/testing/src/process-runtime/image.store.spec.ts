import { imagePrograms } from './image.programs.js';
import { CriError } from './cri.error.js';
import { imageId, imageMessage, ImageStore } from './image.store.js';

describe('ImageStore', () => {
  const store = () => new ImageStore(imagePrograms('/repo'));

  it('pulls an image a local program runs, under every tag it was pulled as, with one id per repository', () => {
    const images = store();
    const id = images.pull({ image: 'focal/api:local' });
    expect(images.pull({ image: 'registry.example/focal/api:v2' })).toBe(id);
    expect(id).toBe(imageId('focal/api'));
    expect(id).not.toBe(imageId('focal/operator'));
    expect(images.find('focal/api:local')?.id).toBe(id);
    expect(images.find(id)?.id).toBe(id);
    expect(imageMessage(images.find(id)!)).toMatchObject({
      id,
      repo_tags: ['focal/api:local', 'registry.example/focal/api:v2'],
    });
  });

  it('refuses to pull what no program runs, as NOT_FOUND naming the image (the kubelet: ErrImagePull)', () => {
    const pull = () => store().pull({ image: 'example.com/nothing:1' });
    expect(pull).toThrow(CriError);
    expect(pull).toThrow(/failed to pull image "example.com\/nothing:1"/);
    try {
      pull();
    } catch (error) {
      expect((error as CriError).code).toBe('NOT_FOUND');
    }
  });

  it('has every tag of a local program present without a pull (side-loaded), and nothing else', () => {
    const images = store();
    expect(images.list()).toEqual([]);
    expect(images.find('focal/operator:local')?.id).toBe(imageId('focal/operator'));
    expect(images.program('focal/operator:local').workdir).toBe('repo');
    expect(images.list().map(imageMessage)[0]?.repo_tags).toEqual(['focal/operator:local']);
    expect(images.find('example.com/nothing:1')).toBeUndefined();
    expect(() => images.program('example.com/nothing:1')).toThrow(/is not present/);
  });
});
