import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { kioskConfigSchema } from '../../main/kiosk-config.js';

/**
 * electron-builder.yml. Packaging itself cannot run here (no Electron binary can be
 * downloaded on these machines): `npm run dist` builds the installers elsewhere. CI validates the
 * configuration instead, with electron-builder's own loader and schema validation, and checks the
 * security-relevant values.
 */
const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface FileSet {
  from?: string;
  to?: string;
  filter?: string[];
}
type Config = Record<string, any>;
const builderConfig = require('app-builder-lib/out/util/config/config') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Config>;
  validateConfiguration(config: Config, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const validate = (config: Config) => builderConfig.validateConfiguration(config, new DebugLogger(false));
const targetsOf = (platform: { target: Array<string | { target: string }> }) => platform.target.map((t) => (typeof t === 'string' ? t : t.target));

describe('electron-builder.yml (packaging cannot run here; CI validates the configuration)', () => {
  let config: Config;
  beforeAll(async () => {
    config = await builderConfig.getConfig(root, null, null);
  });

  it('passes electron-builder’s own schema validation', async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('is really checked: a misspelt option fails the same validation', async () => {
    await expect(validate({ ...config, nsis: { ...config.nsis, oneClik: false } })).rejects.toThrow(/nsis/);
  });

  it('identifies the kiosk app and writes installers to dist-installers', () => {
    expect(config.appId).toBe('jp.ac.shomei.kiosk');
    expect(config.productName).toBe('Shomei Kiosk');
    expect(config.directories.output).toBe('dist-installers');
  });

  it('packs the shell, the embedded service, the UI and package.json', () => {
    const filters = (config.files as FileSet[]).flatMap((f) => f.filter ?? []);
    expect(filters).toEqual(expect.arrayContaining(['package.json', 'dist/main/**/*', 'dist/service/**/*', 'dist/renderer/**/*']));
    // The renderer build lands where the files list looks for it.
    expect(readFileSync(path.join(root, 'renderer/vite.config.ts'), 'utf8')).toContain("'../dist/renderer'");
  });

  it('rebuilds nothing: no production dependency is a native module', () => {
    expect(config.npmRebuild).toBe(false);
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; devOptional?: boolean; hasInstallScript?: boolean; gypfile?: boolean }>;
    };
    const production = Object.entries(lock.packages).filter(([name, p]) => name !== '' && !p.dev && !p.devOptional);
    expect(production.length).toBeGreaterThan(50);
    expect(production.filter(([, p]) => p.hasInstallScript || p.gypfile).map(([name]) => name)).toEqual([]);
  });

  it('sets every Electron fuse the kiosk relies on', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('builds an assisted per-machine NSIS installer for Windows that includes the autostart option', () => {
    expect(targetsOf(config.win)).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true, include: 'build/installer.nsh' });
    const nsh = readFileSync(path.join(root, config.nsis.include), 'utf8');
    expect(nsh).toContain('!macro customInstall');
    expect(nsh).toMatch(/WriteRegStr HKLM "\$\{SHOMEI_RUN_KEY\}"/);
    expect(nsh).toContain('Software\\Microsoft\\Windows\\CurrentVersion\\Run');
    expect(nsh).toContain('${IfNot} ${isUpdated}');
  });

  it('builds deb and AppImage for Linux, with install scripts that exist and are executable', () => {
    expect(targetsOf(config.linux).sort()).toEqual(['AppImage', 'deb']);
    for (const script of [config.deb.afterInstall, config.deb.afterRemove] as string[]) {
      const file = path.join(root, script);
      expect(statSync(file).isFile()).toBe(true);
      expect(() => accessSync(file, constants.X_OK)).not.toThrow();
      expect(readFileSync(file, 'utf8').startsWith('#!/bin/bash\n')).toBe(true);
      // electron-builder expands ${name} in these scripts and stops at any macro it does not know.
      const macros = [...readFileSync(file, 'utf8').matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]);
      expect(macros.filter((m) => !['executable', 'sanitizedProductName', 'productFilename'].includes(m!))).toEqual([]);
    }
  });

  it('installs the XDG autostart entry and /etc/shomei without overwriting an existing kiosk.json, and removes the entry again', () => {
    const install = readFileSync(path.join(root, config.deb.afterInstall), 'utf8');
    expect(install).toContain('/etc/xdg/autostart/shomei-kiosk.desktop');
    expect(install).toMatch(/Exec=\/usr\/bin\/\$EXECUTABLE/);
    expect(install).toContain('install -d -m 0755 /etc/shomei');
    expect(install).toMatch(/if \[ ! -e \/etc\/shomei\/kiosk\.json \]; then\n\s+install -m 0644 [^\n]+ \/etc\/shomei\/kiosk\.json/);
    // The chrome-sandbox step of electron-builder's default script, which a custom script replaces.
    expect(install).toContain('chrome-sandbox');
    const remove = readFileSync(path.join(root, config.deb.afterRemove), 'utf8');
    expect(remove).toContain('rm -f /etc/xdg/autostart/shomei-kiosk.desktop');
  });

  it('ships the terminal defaults as <resources>/kiosk/kiosk.json, valid for the shell’s configuration schema', () => {
    const extra = (config.extraResources as FileSet[]).find((r) => r.to === 'kiosk/kiosk.json');
    expect(extra?.from).toBe('resources/kiosk/kiosk.json');
    const defaults: unknown = JSON.parse(readFileSync(path.join(root, extra!.from!), 'utf8'));
    expect(kioskConfigSchema.safeParse(defaults).success).toBe(true);
  });
});
