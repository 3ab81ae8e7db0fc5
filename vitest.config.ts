import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Password hashing (scrypt) is deliberately slow; two cores shared by parallel files.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration tests start real servers (IdP, SMTP, the service); run files one at a time on 2 cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
