import { fileURLToPath, URL } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

/** The renderer's aliases (renderer/tsconfig.json), for tests that import renderer files. */
const resolve = {
  alias: {
    '@shared': fileURLToPath(new URL('./service/shared', import.meta.url)),
    '@contract': fileURLToPath(new URL('./service/contract', import.meta.url)),
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          // Password hashing (scrypt) is deliberately slow; two cores shared by parallel files.
          testTimeout: 20_000,
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // Stops the PostgreSQL server a file's services ran on (SHOMEI_TEST_DATABASE=postgres).
          setupFiles: ['test/support/vitest-teardown.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration tests start real servers (IdP, SMTP, the service); run files one at a time on 2 cores.
          fileParallelism: false,
        },
      },
      {
        // The renderer's components mounted in happy-dom, with the real stores, router and texts;
        // only the network (fetch) is stood in.
        resolve,
        plugins: [vue()],
        define: { __VUE_I18N_FULL_INSTALL__: true, __VUE_I18N_LEGACY_API__: false, __INTLIFY_PROD_DEVTOOLS__: false },
        test: {
          name: 'component',
          include: ['test/component/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
    ],
  },
});
