import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results.json' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // The package's entries only re-export; test/package imports each from the packed tarball.
      exclude: [
        'src/**/*.test.ts',
        'src/{index,testing,nl,segments,schedule,compliance,metrics,cluster}.ts',
      ],
      reporter: ['text-summary', 'json-summary'],
      thresholds: {
        lines: 90,
        'src/nl/**': { lines: 100 },
        'src/connectors/**': { lines: 100 },
        'src/segments/**': { lines: 100 },
      },
    },
  },
});
