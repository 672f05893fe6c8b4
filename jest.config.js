// Jest runs the TypeScript sources through @swc/jest, compiled to CommonJS.
// Why this setup: aedes 1.x is ESM-only and uses `import ... with { type: 'json' }`,
// so it must be transformed too (see transformIgnorePatterns), with import
// attributes enabled in the parser. Our sources import with `.js` specifiers
// (NodeNext), which moduleNameMapper strips so Jest resolves the `.ts` files.
// ts-jest is not used: it needs the TypeScript compiler API at test time.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', importAttributes: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(aedes)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testTimeout: 20000,
};
