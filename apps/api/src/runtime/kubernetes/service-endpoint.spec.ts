import { serviceEndpoint } from './service-endpoint.js';

describe('serviceEndpoint', () => {
  it('fills the in-cluster Service URL from the ModelDeployment name, namespace and port', () => {
    expect(serviceEndpoint('http://focal-model-{name}.{namespace}.svc:{port}', 'grounding-dino', 'ml', 8080)).toBe(
      'http://focal-model-grounding-dino.ml.svc:8080',
    );
  });

  it('takes a fixed URL as it is, without a trailing slash', () => {
    expect(serviceEndpoint('http://127.0.0.1:9000/', 'sam3', 'default', 8080)).toBe('http://127.0.0.1:9000');
  });
});
