import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigPath, loadKioskConfig, machineConfigPath } from '../../main/kiosk-config.js';
import { kioskConfig, TEST_TERMINAL_KEY } from '../support/kiosk-electron.js';

const DEFAULTS = '/opt/shomei/resources/kiosk/kiosk.json';
const OVERRIDE = '/etc/shomei/kiosk.json';

const defaults = kioskConfig;

/** loadKioskConfig over an in-memory file system (`undefined` = the file does not exist). */
function load(files: { defaults?: unknown; override?: unknown }) {
  const contents: Record<string, string | undefined> = {
    [DEFAULTS]: files.defaults === undefined ? undefined : typeof files.defaults === 'string' ? files.defaults : JSON.stringify(files.defaults),
    [OVERRIDE]: files.override === undefined ? undefined : typeof files.override === 'string' ? files.override : JSON.stringify(files.override),
  };
  return loadKioskConfig({
    defaultsFile: DEFAULTS,
    overrideFile: OVERRIDE,
    readFile: (file) => {
      const text = contents[file];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${file}'`), { code: 'ENOENT' });
      return text;
    },
  });
}

function problemsOf(result: ReturnType<typeof load>) {
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

describe('terminal configuration', () => {
  it('the shipped defaults file is valid and uses the embedded service', () => {
    const shipped = readFileSync(path.resolve('resources/kiosk/kiosk.json'), 'utf8');
    const result = load({ defaults: shipped });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config).toEqual(defaults());
  });

  it('without a machine-wide file the defaults apply', () => {
    const result = load({ defaults: defaults() });
    expect(result).toMatchObject({ ok: true, config: defaults(), files: { overrideFound: false } });
  });

  it('the machine-wide file overrides the defaults field by field', () => {
    const result = load({
      defaults: defaults(),
      override: {
        serverUrl: 'https://shomei.example.ac.jp',
        terminalKey: TEST_TERMINAL_KEY,
        allowedIdpOrigins: ['https://idp.example.ac.jp'],
        idleTimeoutSeconds: 90,
        terminalId: 'lib-2F.03',
      },
    });
    expect(result).toMatchObject({
      ok: true,
      files: { overrideFound: true },
      config: defaults({
        serverUrl: 'https://shomei.example.ac.jp',
        terminalKey: TEST_TERMINAL_KEY,
        allowedIdpOrigins: ['https://idp.example.ac.jp'],
        idleTimeoutSeconds: 90,
        terminalId: 'lib-2F.03',
      }),
    });
  });

  it('a machine-wide file that is not JSON is reported with its path', () => {
    const problems = problemsOf(load({ defaults: defaults(), override: '{ "serverUrl": ' }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: OVERRIDE, field: null });
    expect(problems[0]!.en).toMatch(/not valid JSON/);
    expect(problems[0]!.ja).toMatch(/JSON/);
  });

  it('a byte order mark at the start of the file is accepted', () => {
    expect(load({ defaults: defaults(), override: '\uFEFF{"terminalId":"a"}' }).ok).toBe(true);
  });

  it('an unknown key is refused and named', () => {
    const problems = problemsOf(load({ defaults: defaults(), override: { serverURL: 'https://x.example' } }));
    expect(problems).toEqual([expect.objectContaining({ file: OVERRIDE, field: 'serverURL', en: expect.stringMatching(/unknown field/) })]);
  });

  it('a serverUrl that is not an http(s) origin is refused', () => {
    for (const serverUrl of [
      'shomei.example.ac.jp',
      'ftp://shomei.example.ac.jp',
      'https://shomei.example.ac.jp/app',
      'https://user:pw@shomei.example.ac.jp',
      'javascript:alert(1)',
    ]) {
      const problems = problemsOf(load({ defaults: defaults(), override: { serverUrl } }));
      expect(problems, serverUrl).toEqual([expect.objectContaining({ file: OVERRIDE, field: 'serverUrl' })]);
    }
  });

  it('a serverUrl with a trailing slash is accepted', () => {
    expect(load({ defaults: defaults(), override: { serverUrl: 'https://shomei.example.ac.jp/', terminalKey: TEST_TERMINAL_KEY } }).ok).toBe(true);
  });

  it('plain http is refused for a service or an IdP on another machine, and accepted on the terminal itself', () => {
    const serverProblems = problemsOf(load({ defaults: defaults(), override: { serverUrl: 'http://shomei.example.ac.jp' } }));
    expect(serverProblems).toEqual([expect.objectContaining({ field: 'serverUrl' })]);
    expect(serverProblems[0]!.en).toMatch(/https/);
    expect(serverProblems[0]!.ja).toMatch(/https/);
    const idpProblems = problemsOf(
      load({ defaults: defaults(), override: { allowedIdpOrigins: ['https://idp.example.ac.jp', 'http://idp.example.ac.jp', 'http://10.0.0.5:8080'] } }),
    );
    expect(idpProblems.map((p) => p.field)).toEqual(['allowedIdpOrigins[1]', 'allowedIdpOrigins[2]']);
    for (const local of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
      expect(load({ defaults: defaults(), override: { serverUrl: local, terminalKey: TEST_TERMINAL_KEY, allowedIdpOrigins: [local] } }).ok, local).toBe(true);
    }
  });

  it('a terminal that names a server needs its terminal key, and a malformed key is named', () => {
    const missing = problemsOf(load({ defaults: defaults(), override: { serverUrl: 'https://shomei.example.ac.jp' } }));
    expect(missing).toEqual([
      expect.objectContaining({ file: OVERRIDE, field: 'terminalKey', en: expect.stringContaining('Terminals screen'), ja: expect.stringContaining('端末') }),
    ]);
    for (const terminalKey of [
      'stk1.kiosk',
      `stk2.kiosk-test.${'A'.repeat(43)}`,
      `stk1.kiosk test.${'A'.repeat(43)}`,
      `stk1.kiosk-test.${'A'.repeat(42)}`,
      42,
    ]) {
      const problems = problemsOf(load({ defaults: defaults(), override: { serverUrl: 'https://shomei.example.ac.jp', terminalKey } }));
      expect(problems, String(terminalKey)).toEqual([expect.objectContaining({ field: 'terminalKey' })]);
    }
    // The embedded service needs none (the shell enrols itself with it).
    expect(load({ defaults: defaults(), override: { serverUrl: null } }).ok).toBe(true);
  });

  it('an IdP entry with a path is refused with its index', () => {
    const problems = problemsOf(
      load({ defaults: defaults(), override: { allowedIdpOrigins: ['https://idp.example.ac.jp', 'https://idp.example.ac.jp/idp/shibboleth'] } }),
    );
    expect(problems).toEqual([expect.objectContaining({ field: 'allowedIdpOrigins[1]' })]);
  });

  it('an idle timeout outside 30–3600 seconds is refused', () => {
    for (const idleTimeoutSeconds of [29, 3601, 60.5, '120']) {
      const problems = problemsOf(load({ defaults: defaults(), override: { idleTimeoutSeconds } }));
      expect(problems, String(idleTimeoutSeconds)).toEqual([
        expect.objectContaining({ field: 'idleTimeoutSeconds', en: expect.stringContaining('30 to 3600'), ja: expect.stringContaining('30〜3600') }),
      ]);
    }
  });

  it('countdown, terminal id and language are checked', () => {
    const problems = problemsOf(load({ defaults: defaults(), override: { countdownSeconds: 4, terminalId: 'kiosk 1', defaultLanguage: 'fr' } }));
    expect(problems.map((p) => p.field).sort()).toEqual(['countdownSeconds', 'defaultLanguage', 'terminalId']);
  });

  it('every problem of both files is listed', () => {
    const problems = problemsOf(load({ defaults: { ...defaults(), extra: 1 }, override: { printerName: '' } }));
    expect(problems.map((p) => [p.file, p.field])).toEqual([
      [DEFAULTS, 'extra'],
      [OVERRIDE, 'printerName'],
    ]);
  });

  it('a machine-wide file that is not an object is refused', () => {
    const problems = problemsOf(load({ defaults: defaults(), override: [1, 2] }));
    expect(problems).toEqual([expect.objectContaining({ file: OVERRIDE, field: null })]);
  });

  it('a missing defaults file is reported as a damaged installation', () => {
    const problems = problemsOf(load({}));
    expect(problems).toEqual([expect.objectContaining({ file: DEFAULTS, en: expect.stringMatching(/missing/) })]);
  });

  it('a machine-wide file that cannot be read (not just missing) is a problem', () => {
    const result = loadKioskConfig({
      defaultsFile: DEFAULTS,
      overrideFile: OVERRIDE,
      readFile: (file) => {
        if (file === DEFAULTS) return JSON.stringify(defaults());
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      },
    });
    expect(problemsOf(result)).toEqual([expect.objectContaining({ file: OVERRIDE, en: expect.stringMatching(/cannot read.*EACCES/) })]);
  });

  it('on Linux the machine-wide file is /etc/shomei/kiosk.json', () => {
    expect(machineConfigPath('linux', {})).toBe('/etc/shomei/kiosk.json');
  });

  it('on Windows the machine-wide file is under %ProgramData%', () => {
    expect(machineConfigPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Shomei\\kiosk.json');
    expect(machineConfigPath('win32', {})).toBe('C:\\ProgramData\\Shomei\\kiosk.json');
  });

  it('the defaults come from the resources folder when packaged and from the repository in development', () => {
    expect(defaultConfigPath({ isPackaged: true, resourcesPath: '/opt/Shomei Kiosk/resources', appPath: '/x' })).toBe(
      path.join('/opt/Shomei Kiosk/resources', 'kiosk', 'kiosk.json'),
    );
    expect(defaultConfigPath({ isPackaged: false, resourcesPath: '/x', appPath: '/work/repo' })).toBe(
      path.join('/work/repo', 'resources', 'kiosk', 'kiosk.json'),
    );
  });
});
