/** Jest runs the TypeScript sources directly as ESM through @swc/jest. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const moduleNameMapper = {
  '^@focal/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

const shared = {
  testEnvironment: '<rootDir>/test/jest/node-realm.environment.cjs',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper,
};

export default {
  testTimeout: 120000,
  // Prints the table of reference comparisons (test/reference) after the run; silent when there are none.
  reporters: ['default', '<rootDir>/test/reference/support/comparison.reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/apps/**/*.spec.ts', '<rootDir>/libs/**/*.spec.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/reference/'],
    },
    {
      // Focal vs Hugging Face on the committed fixtures of tools/reference (`npm run test:reference`).
      ...shared,
      displayName: 'reference',
      testMatch: ['<rootDir>/test/reference/**/*.test.ts'],
    },
  ],
};
