// Module boundaries (DESIGN §1) are enforced here, not by convention:
// apps never import each other (nor does bench/), only the inference side touches onnxruntime-node and sharp,
// only Kubernetes adapters touch @kubernetes/client-node, and only libs/config reads process.env.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noEnv = {
  'no-restricted-properties': [
    'error',
    { object: 'process', property: 'env', message: 'Read the environment only in libs/config.' },
  ],
};

const kubeOnlyInAdapters = {
  name: '@kubernetes/client-node',
  message: 'Only Kubernetes adapters (files under a kubernetes/ folder) may import @kubernetes/client-node.',
};
const inferenceOnly = (name) => ({
  name,
  message: `Only apps/inference and the libraries it uses may import ${name}.`,
});

const boundaries = (extraPaths, extraPatterns) => ({
  'no-restricted-imports': ['error', { paths: [kubeOnlyInAdapters, ...extraPaths], patterns: extraPatterns }],
});

export default tseslint.config(
  // libs/*/assembly is AssemblyScript (compiled by tools/wasm), which TypeScript's rules do not fit.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'charts/**', '**/*.cjs', 'libs/*/assembly/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      ...noEnv,
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: boundaries(
      [inferenceOnly('onnxruntime-node'), inferenceOnly('sharp'), inferenceOnly('@focal/vision')],
      [
        {
          group: ['**/inference/src/**', '**/operator/src/**'],
          message: 'Apps never import each other; share through libs/.',
        },
      ],
    ),
  },
  {
    files: ['apps/operator/**/*.ts'],
    rules: boundaries(
      [inferenceOnly('onnxruntime-node'), inferenceOnly('sharp'), inferenceOnly('@focal/vision')],
      [
        {
          group: ['**/api/src/**', '**/inference/src/**'],
          message: 'Apps never import each other; share through libs/.',
        },
      ],
    ),
  },
  {
    files: ['apps/inference/**/*.ts'],
    rules: boundaries(
      [],
      [
        {
          group: ['**/api/src/**', '**/operator/src/**'],
          message: 'Apps never import each other; share through libs/.',
        },
      ],
    ),
  },
  {
    // The browser playground is bundled on its own: it talks to the API over HTTP only.
    files: ['apps/playground/**/*.ts'],
    rules: boundaries(
      [inferenceOnly('onnxruntime-node'), inferenceOnly('sharp'), inferenceOnly('@focal/vision')],
      [
        {
          group: ['**/api/src/**', '**/inference/src/**', '**/operator/src/**', '@focal/*', 'node:*'],
          message: 'The playground is a browser app: no other app, no Node module, no server-side library.',
        },
      ],
    ),
  },
  {
    files: ['libs/contracts/**/*.ts', 'libs/config/**/*.ts', 'libs/platform/**/*.ts'],
    rules: boundaries([inferenceOnly('onnxruntime-node'), inferenceOnly('sharp')], []),
  },
  {
    // The bench times onnxruntime-node itself (the raw tier), but reaches the apps only through libs/ or over HTTP.
    files: ['bench/**/*.ts', 'tools/**/*.ts'],
    rules: boundaries(
      [],
      [{ group: ['**/apps/**'], message: 'bench/ and tools/ share through libs/; they never import an app.' }],
    ),
  },
  {
    files: ['**/kubernetes/**/*.ts', 'test/**/*.ts', 'libs/testing/**/*.ts', '**/*.spec.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // Integration tests read JSON bodies of many shapes; typing each one adds nothing a failing assertion would not say.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['libs/config/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', '**/*.spec.ts', 'libs/testing/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
