/**
 * Terminal configuration: the defaults shipped with the app (resources/kiosk/kiosk.json, copied
 * by electron-builder's extraResources to <resources>/kiosk/kiosk.json), overridden field by field
 * by one machine-wide file that IT staff edit:
 *   Linux    /etc/shomei/kiosk.json
 *   Windows  %ProgramData%\Shomei\kiosk.json
 * Both files are validated with the same schema; every problem is reported with its file and
 * field so the shell can show IT staff a full-screen explanation instead of a broken kiosk.
 */
import path from 'node:path';
import { z } from 'zod';
import { parseTerminalKey } from './terminal-key.js';

export const LANGUAGES = ['ja', 'en'] as const;

/** Hosts a terminal reaches without leaving the machine (plain http is acceptable only there). */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * An URL that is exactly an origin (no path, query, fragment or credentials): https, or http on
 * the terminal itself. Sign-in and certificates must never cross a network unencrypted
 * (Electron security checklist, "only load secure content").
 */
function isOrigin(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  return secure && url.origin === value;
}

/** An http(s) URL at the root of its origin (`https://host[:port]` with an optional trailing slash). */
function isServiceUrl(value: string): boolean {
  return isOrigin(value.replace(/\/$/, ''));
}

/** What each field must be, in both languages, for the IT staff error page. */
export const FIELD_RULES: Record<keyof KioskConfig, { ja: string; en: string }> = {
  serverUrl: {
    ja: 'サービスの https URL（例: https://shomei.example.ac.jp。http はこの端末内の localhost / 127.0.0.1 のみ）、または組み込みサービスを使う場合は null',
    en: 'the service’s https URL (e.g. https://shomei.example.ac.jp; http only for localhost / 127.0.0.1 on this terminal), or null for the embedded service',
  },
  allowedIdpOrigins: {
    ja: 'IdP の https オリジンの配列（例: ["https://idp.example.ac.jp"]、パスなし）',
    en: 'an array of the IdPs’ https origins (e.g. ["https://idp.example.ac.jp"], no path)',
  },
  printerName: {
    ja: 'OS に登録されたプリンター名（1〜256 文字）、または既定のプリンターを使う場合は null',
    en: 'the printer’s system name (1–256 characters), or null for the OS default printer',
  },
  idleTimeoutSeconds: { ja: '30〜3600 の整数（秒）', en: 'an integer from 30 to 3600 (seconds)' },
  countdownSeconds: { ja: '5〜120 の整数（秒）', en: 'an integer from 5 to 120 (seconds)' },
  terminalId: {
    ja: '英数字・「.」「_」「-」からなる 1〜64 文字',
    en: '1–64 characters of letters, digits, “.”, “_” or “-”',
  },
  defaultLanguage: { ja: '"ja" または "en"', en: '"ja" or "en"' },
  terminalKey: {
    ja: '管理コンソールの「端末」で発行した端末の鍵（"stk1." で始まる文字列）。serverUrl を設定する端末では必須、組み込みサービス（serverUrl が null）では null 可',
    en: 'the terminal key issued in the staff console’s Terminals screen (a string starting with "stk1."); required with a serverUrl, may be null for the embedded service (serverUrl null)',
  },
};

const fields = {
  serverUrl: z.string().refine(isServiceUrl).nullable(),
  allowedIdpOrigins: z.array(z.string().refine(isOrigin)).max(32),
  printerName: z.string().min(1).max(256).nullable(),
  idleTimeoutSeconds: z.number().int().min(30).max(3600),
  countdownSeconds: z.number().int().min(5).max(120),
  terminalId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/),
  defaultLanguage: z.enum(LANGUAGES),
  terminalKey: z
    .string()
    .refine((key) => parseTerminalKey(key) !== null)
    .nullable(),
};

/** The complete configuration (the merged result, and the shipped defaults file). */
export const kioskConfigSchema = z.strictObject(fields);
/** The machine-wide override: any subset of the fields. */
export const kioskConfigOverrideSchema = kioskConfigSchema.partial();

export type KioskConfig = z.infer<typeof kioskConfigSchema>;

export interface ConfigProblem {
  /** The file the problem is in. */
  file: string;
  /** The field (`allowedIdpOrigins[1]`), or null when the file as a whole is wrong. */
  field: string | null;
  ja: string;
  en: string;
}

export type KioskConfigResult =
  { ok: true; config: KioskConfig; files: { defaults: string; override: string; overrideFound: boolean } } | { ok: false; problems: ConfigProblem[] };

/** The machine-wide override file for this OS. `env` is process.env (ProgramData on Windows). */
export function machineConfigPath(platform: NodeJS.Platform, env: Record<string, string | undefined>): string {
  if (platform === 'win32') {
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData';
    return path.win32.join(programData, 'Shomei', 'kiosk.json');
  }
  return '/etc/shomei/kiosk.json';
}

/**
 * The shipped defaults: in a packaged app under process.resourcesPath (extraResources), in
 * development in the repository's resources/ folder (`appPath` is the repository root there).
 */
export function defaultConfigPath(options: { isPackaged: boolean; resourcesPath: string; appPath: string }): string {
  return options.isPackaged ? path.join(options.resourcesPath, 'kiosk', 'kiosk.json') : path.join(options.appPath, 'resources', 'kiosk', 'kiosk.json');
}

type ReadFile = (file: string) => string;

function fieldName(issuePath: readonly PropertyKey[]): string | null {
  if (issuePath.length === 0) return null;
  return issuePath.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function describeIssues(file: string, error: z.ZodError): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({
          file,
          field: key,
          ja: `不明な項目です（使える項目: ${Object.keys(fields).join(', ')}）`,
          en: `unknown field (allowed fields: ${Object.keys(fields).join(', ')})`,
        });
      }
      continue;
    }
    const top = issue.path[0];
    const rule = typeof top === 'string' && top in FIELD_RULES ? FIELD_RULES[top as keyof KioskConfig] : null;
    if (issue.path.length === 0) {
      problems.push({ file, field: null, ja: 'JSON オブジェクト（{ … }）である必要があります', en: 'must be a JSON object ({ … })' });
    } else if (rule) {
      problems.push({ file, field: fieldName(issue.path), ja: `${rule.ja} である必要があります`, en: `must be ${rule.en}` });
    } else {
      problems.push({ file, field: fieldName(issue.path), ja: issue.message, en: issue.message });
    }
  }
  return problems;
}

/** Reads and parses one file; `missing` when it does not exist. */
function readJson(file: string, readFile: ReadFile): { kind: 'missing' } | { kind: 'json'; value: unknown } | { kind: 'problem'; problem: ConfigProblem } {
  let text: string;
  try {
    text = readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    const reason = e instanceof Error ? e.message : String(e);
    return { kind: 'problem', problem: { file, field: null, ja: `ファイルを読めません: ${reason}`, en: `cannot read the file: ${reason}` } };
  }
  try {
    // A byte order mark (Notepad on Windows) is not an error.
    return { kind: 'json', value: JSON.parse(text.replace(/^\uFEFF/, '')) };
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { kind: 'problem', problem: { file, field: null, ja: `JSON として正しくありません: ${reason}`, en: `not valid JSON: ${reason}` } };
  }
}

/**
 * Loads the defaults, applies the machine-wide override field by field, and validates both.
 * A missing override file is normal (the defaults apply); a missing defaults file is a problem.
 */
export function loadKioskConfig(options: { defaultsFile: string; overrideFile: string; readFile: ReadFile }): KioskConfigResult {
  const { defaultsFile, overrideFile, readFile } = options;
  const problems: ConfigProblem[] = [];

  let defaults: KioskConfig | null = null;
  const defaultsRead = readJson(defaultsFile, readFile);
  if (defaultsRead.kind === 'missing') {
    problems.push({
      file: defaultsFile,
      field: null,
      ja: 'ファイルがありません（インストールが壊れています）',
      en: 'the file is missing (the installation is damaged)',
    });
  } else if (defaultsRead.kind === 'problem') {
    problems.push(defaultsRead.problem);
  } else {
    const parsed = kioskConfigSchema.safeParse(defaultsRead.value);
    if (parsed.success) defaults = parsed.data;
    else problems.push(...describeIssues(defaultsFile, parsed.error));
  }

  let override: Partial<KioskConfig> = {};
  const overrideRead = readJson(overrideFile, readFile);
  if (overrideRead.kind === 'problem') {
    problems.push(overrideRead.problem);
  } else if (overrideRead.kind === 'json') {
    const parsed = kioskConfigOverrideSchema.safeParse(overrideRead.value);
    if (parsed.success) override = parsed.data;
    else problems.push(...describeIssues(overrideFile, parsed.error));
  }

  if (problems.length > 0 || !defaults) return { ok: false, problems };
  // zod's partial() leaves absent keys out, so a spread overrides exactly the fields present.
  const config: KioskConfig = { ...defaults, ...override };
  // A terminal of a central service proves itself with its key; without one it could not print.
  if (config.serverUrl !== null && config.terminalKey === null) {
    const rule = FIELD_RULES.terminalKey;
    return { ok: false, problems: [{ file: overrideFile, field: 'terminalKey', ja: `${rule.ja} である必要があります`, en: `must be ${rule.en}` }] };
  }
  return {
    ok: true,
    config,
    files: { defaults: defaultsFile, override: overrideFile, overrideFound: overrideRead.kind === 'json' },
  };
}

/** The origin and login page of the service a configuration points at. */
export function serviceOriginOf(serverUrl: string): string {
  return new URL(serverUrl).origin;
}
