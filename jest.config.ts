import type { Config } from 'jest';

// ESM-only packages that Jest must transpile (see ../shared/design/toolchain.md).
const esmPackages = [
  '@hubspot/ui-extensions',
  'tinyspy',
  'rettime',
  'until-async',
  '@open-draft/deferred-promise',
  '@bundled-es-modules',
  'headers-polyfill',
  'outvariant',
  'strict-event-emitter',
  'is-node-process',
  '@mswjs',
  'msw',
].join('|');

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/functions', '<rootDir>/extensions', '<rootDir>/test'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.(t|j)sx?$|^.+\\.mjs$': ['ts-jest', { isolatedModules: true, tsconfig: { allowJs: true, module: 'commonjs', jsx: 'react-jsx', esModuleInterop: true, moduleResolution: 'node10', verbatimModuleSyntax: false } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages})/)`],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testTimeout: 30000,
};

export default config;
