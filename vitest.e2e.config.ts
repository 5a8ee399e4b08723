import { defineConfig } from 'vitest/config';

// End-to-end tests: real Chromium and real Firefox with the built extensions loaded (see
// tests/e2e/harness.ts and tests/e2e/firefox-harness.ts).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    // A real browser on a shared 2-core machine can take more than a second to show a change
    // (a save reaching every badge, a card opening): polled assertions wait up to 5 s.
    expect: { poll: { timeout: 5_000 } },
  },
});
