/**
 * The layering of DESIGN.md, enforced (`npm run lint:layers`). Each rule names who may not import
 * whom; the message says why.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'The domain holds the rules and talks to ports: no framework, store library, adapter, HTTP layer, configuration or contract.',
      severity: 'error',
      from: { path: '^service/domain/' },
      to: {
        path: [
          '^service/(adapters|http|features|contract|demo|cli)/',
          '^service/(config|app|server|stores|paths|logging|certificate-signing)\\.ts$',
          'node_modules/(express|lowdb|pg|samlify|@authenio|nodemailer|pdf-lib|@pdf-lib|libxml2-wasm|node-forge|pino)',
        ],
      },
    },
    {
      name: 'domain-no-node-io',
      comment: 'The domain reads no file and no environment: what it needs comes in through ports and arguments.',
      severity: 'error',
      from: { path: '^service/domain/' },
      to: { dependencyTypes: ['core'], path: '^(fs|node:fs|fs/promises|node:fs/promises|path|node:path|os|node:os|child_process|node:child_process)$' },
    },
    {
      name: 'contract-imports-nothing',
      comment:
        'contract/ is the JSON shared with the renderer: it imports nothing but itself and the vocabulary of shared/ (names, addresses, the application form).',
      severity: 'error',
      from: { path: '^service/contract/' },
      to: { pathNot: '^service/(contract|shared)/' },
    },
    {
      name: 'http-no-adapter',
      comment: 'The HTTP layer is handed its ports by the composition root; it imports no adapter.',
      severity: 'error',
      from: { path: '^service/http/' },
      to: { path: '^service/adapters/' },
    },
    {
      name: 'renderer-only-shared',
      comment: 'The renderer reaches the service only through contract/ and shared/.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^service/', pathNot: '^service/(contract|shared)/' },
    },
    {
      name: 'shared-imports-nothing',
      comment: 'shared/ holds the rules and types the renderer bundles too: it imports nothing of the service, renderer or shell but itself.',
      severity: 'error',
      from: { path: '^service/shared/' },
      to: { path: '^(service|renderer|main)/', pathNot: '^service/shared/' },
    },
    {
      name: 'shared-no-node',
      comment: 'shared/ runs in the browser as well: no Node module.',
      severity: 'error',
      from: { path: '^service/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'main-not-service',
      comment: 'The Electron shell is thin: it imports nothing of the service or the renderer (it reaches the service over HTTP).',
      severity: 'error',
      from: { path: '^main/' },
      to: { path: '^(service|renderer)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|test|bench)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.test.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.vue', '.js', '.mjs', '.cts'] },
  },
};
