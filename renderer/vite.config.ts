import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { writeUiFont } from './ui-font.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const service = 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/',
  // As in tsconfig.json: what the renderer may use of the service.
  resolve: {
    alias: {
      '@shared': fileURLToPath(new URL('../service/shared', import.meta.url)),
      '@contract': fileURLToPath(new URL('../service/contract', import.meta.url)),
    },
  },
  plugins: [
    vue(),
    // The first page's small font files (ui-font.ts), cut from the current texts before each build.
    { name: 'shomei-ui-font', buildStart: () => writeUiFont(fileURLToPath(new URL('./src', import.meta.url))) },
  ],
  define: {
    // vue-i18n: Composition API only; the message compiler stays (JIT: it builds an AST and
    // interprets it, no `new Function`), so the strict CSP (no 'unsafe-eval') holds.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __INTLIFY_DROP_MESSAGE_COMPILER__: false,
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // The service's CSP has no 'unsafe-inline': never inline assets as data: URIs into styles/scripts.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/saml', '/dev', '/demo-idp', '/healthz'].map((p) => [p, { target: service }])),
  },
});
