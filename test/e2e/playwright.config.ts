import { defineConfig } from '@playwright/test';

/** Debian's Chromium as the tests launch it (bench/front.bench.ts launches it the same way). */
export const chromiumLaunch = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run'],
};

const chromium = { browserName: 'chromium' as const, launchOptions: chromiumLaunch };

const SETUP = '**/setup.e2e.ts';

/**
 * End-to-end tests in Debian's Chromium against the built service, a real SimpleSAMLphp IdP
 * and a real SMTP server (started by global-setup.ts), plus the demo-mode service.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.e2e.ts',
  globalSetup: './global-setup.ts',
  outputDir: '../../test-results/e2e',
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: { ...chromium, trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    { name: 'phone', testIgnore: SETUP, use: { viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true } },
    { name: 'kiosk', testIgnore: SETUP, use: { viewport: { width: 1920, height: 1080 } } },
    // A fresh install with its own IdP, SMTP relay and service: once, at a PC's size.
    { name: 'fresh-install', testMatch: SETUP, use: { viewport: { width: 1280, height: 900 } } },
  ],
});
