import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isPublicKey } from './domain/terminals/proof.js';
import { describeDatabaseUrl } from './adapters/postgres/pool.js';
import type { SamlAttributeField, SamlAttributeMap } from './domain/saml-checks.js';

export type { SamlAttributeField, SamlAttributeMap };

/** Our fields that can come from SAML attributes, with GakuNin / eduPerson defaults. */
export const DEFAULT_SAML_ATTRIBUTES = {
  /** The user identifier (ePPN); when absent, a non-transient NameID is used. */
  userId: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  nameKanji: 'urn:oid:1.3.6.1.4.1.32264.1.1.3',
  nameRoman: 'urn:oid:2.16.840.1.113730.3.1.241',
  nameKana: 'urn:oid:1.3.6.1.4.1.32264.1.1.4',
  /** displayName; used as the display name. */
  displayName: 'urn:oid:2.16.840.1.113730.3.1.241',
  /** No standard attribute carries the student ID: set it for your IdP. */
  studentId: 'urn:oid:1.3.6.1.4.1.32264.1.1.11',
  affiliation: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.9',
} as const satisfies SamlAttributeMap;

const flag = z.enum(['0', '1', 'true', 'false', 'yes', 'no'], { error: 'must be 1 or 0' }).transform((v) => v === '1' || v === 'true' || v === 'yes');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).transform((u) => u.replace(/\/+$/, ''));

const envSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a number' }).int().min(0).max(65535, 'must be a port number (0–65535)').default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: httpUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE)')
    .optional(),
  DATABASE_POOL_MAX: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(4, 'must be 4–100').max(100, 'must be 4–100').default(10),
  SAML_IDP_METADATA: z.string().min(1).optional(),
  SAML_SP_KEY: z.string().min(1).optional(),
  SAML_SP_CERT: z.string().min(1).optional(),
  SAML_ATTRIBUTES: z.string().optional(),
  SAML_FORCE_AUTHN: flag.default(false),
  SAML_WANT_SIGNED_RESPONSE: flag.default(true),
  SAML_LOGIN_LIMIT: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 or more').default(30),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must look like smtp://user:pass@host:port or smtps://…')
    .optional(),
  MAIL_FROM: z.string().min(3).default('no-reply@localhost'),
  DEMO: flag.optional(),
  NODE_ENV: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: z.string().optional(),
  CERT_SIGNING_KEY: z.string().min(1).optional(),
  CERT_SIGNING_CERT: z.string().min(1).optional(),
  TSA_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  TSA_CA_FILE: z.string().min(1).optional(),
  SHOMEI_EMBEDDED_TERMINAL_KEY: z.string().optional(),
  PDF_WORKERS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0–64').max(64, 'must be 0–64').optional(),
  RESERVATION_VALID_DAYS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number of days')
    .min(1, 'must be 1–30')
    .max(30, 'must be 1–30')
    .default(7),
  PDF_DELIVERY_VALID_DAYS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number of days')
    .min(1, 'must be 1–365')
    .max(365, 'must be 1–365')
    .default(90),
  PDF_DELIVERY_MAX_DOWNLOADS: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be 1–100')
    .max(100, 'must be 1–100')
    .default(5),
});

const attributeMapSchema = z.record(z.string(), z.string().min(1, 'attribute names must not be empty')).superRefine((m, ctx) => {
  for (const key of Object.keys(m)) {
    if (!(key in DEFAULT_SAML_ATTRIBUTES)) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown field "${key}" (known: ${Object.keys(DEFAULT_SAML_ATTRIBUTES).join(', ')})`,
      });
    }
  }
});

export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  /** True when PUBLIC_URL is https: cookies get Secure. */
  secureCookies: boolean;
  dataDir: string;
  /**
   * PostgreSQL (DATABASE_URL) for every record, shared by any number of instances; null: lowdb
   * files in DATA_DIR, one instance. Never logged as is: describeDatabaseUrl hides the password.
   */
  database: { url: string; poolMax: number } | null;
  demo: boolean;
  production: boolean;
  /** Worker threads that render and sign certificates (PDF_WORKERS; default defaultPdfWorkers); 0: on the main thread. */
  pdfWorkers: number;
  saml: {
    idpMetadata: string | null;
    spKeyFile: string | null;
    spCertFile: string | null;
    attributes: SamlAttributeMap;
    forceAuthn: boolean;
    /** Require the IdP's signature on the Response itself (not only on the assertion). */
    wantSignedResponse: boolean;
    /** Logins one client (IP address) may start per minute (GET /saml/login). */
    loginsPerMinute: number;
    entityId: string;
    acsUrl: string;
    sloUrl: string;
  };
  mail: { smtpUrl: string | null; from: string };
  certificates: {
    /** PEM private key that signs the certificate PDFs (CERT_SIGNING_KEY), or null: generated into DATA_DIR. */
    signingKeyFile: string | null;
    /** PEM certificate of that key, optionally followed by its chain (CERT_SIGNING_CERT), or null. */
    signingCertFile: string | null;
    /**
     * The RFC 3161 time-stamping authority that stamps the signatures of certificates delivered as
     * PDF (TSA_URL); null: the built-in one in demo mode, none in production (such deliveries fail).
     */
    timestampUrl: string | null;
    /** PEM certificates the TSA's tokens must chain to (TSA_CA_FILE), or null: not checked. */
    timestampCaFile: string | null;
  };
  /** Days a convenience-store 予約番号 stays printable (RESERVATION_VALID_DAYS, 1–30, default 7). */
  reservationValidDays: number;
  /** PDF送付: days the recipient's link works (PDF_DELIVERY_VALID_DAYS, 1–365, default 90) and downloads it allows (PDF_DELIVERY_MAX_DOWNLOADS, 1–100, default 5). */
  pdfDelivery: { validDays: number; maxDownloads: number };
  /**
   * The public key of the kiosk shell that started this service as its embedded service
   * (SHOMEI_EMBEDDED_TERMINAL_KEY, set by the shell for its child process only): that shell is an
   * enrolled terminal. Accepted only when the service listens on the loopback interface.
   */
  embeddedTerminalKey: string | null;
  session: {
    idleSeconds: number;
    kioskIdleSeconds: number;
    absoluteSeconds: number;
  };
  logLevel: string;
  trustProxy: string | number | boolean;
}

/** A rejected value as the error message quotes it: a database URL without its password. */
const shown = (name: string, value: string | undefined): string =>
  JSON.stringify(name === 'DATABASE_URL' && value !== undefined ? describeDatabaseUrl(value) : value);

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration contract of DESIGN.md from `env`; throws ConfigError listing every bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${shown(String(i.path[0]), env[String(i.path[0])])})`));
  }
  const e = parsed.data;
  const problems: string[] = [];

  let attributes: SamlAttributeMap = { ...DEFAULT_SAML_ATTRIBUTES };
  if (e.SAML_ATTRIBUTES) {
    let raw: unknown;
    try {
      raw = JSON.parse(e.SAML_ATTRIBUTES);
    } catch {
      problems.push('SAML_ATTRIBUTES: must be a JSON object such as {"studentId":"urn:oid:…"}');
    }
    if (raw !== undefined) {
      const m = attributeMapSchema.safeParse(raw);
      if (m.success) attributes = { ...attributes, ...m.data };
      else problems.push(...m.error.issues.map((i) => `SAML_ATTRIBUTES: ${i.message}`));
    }
  }

  const production = e.NODE_ENV === 'production';
  const demo = e.DEMO ?? !e.SAML_IDP_METADATA;
  if (!e.SAML_IDP_METADATA && production) {
    problems.push('SAML_IDP_METADATA: required when NODE_ENV=production (the built-in demo IdP never runs in production)');
  }
  if (!e.SAML_IDP_METADATA && e.DEMO === false) {
    problems.push('SAML_IDP_METADATA: required when DEMO=0 (without it only the built-in demo IdP is available)');
  }
  if (Boolean(e.SAML_SP_KEY) !== Boolean(e.SAML_SP_CERT)) {
    problems.push('SAML_SP_KEY and SAML_SP_CERT: set both or neither');
  }
  if (Boolean(e.CERT_SIGNING_KEY) !== Boolean(e.CERT_SIGNING_CERT)) {
    problems.push('CERT_SIGNING_KEY and CERT_SIGNING_CERT: set both or neither');
  }
  if (e.TSA_CA_FILE && !e.TSA_URL) problems.push('TSA_CA_FILE: only with TSA_URL (the built-in demo authority needs no CA file)');
  if (e.SHOMEI_EMBEDDED_TERMINAL_KEY !== undefined) {
    if (!isPublicKey(e.SHOMEI_EMBEDDED_TERMINAL_KEY)) problems.push('SHOMEI_EMBEDDED_TERMINAL_KEY: must be an Ed25519 public key (32 bytes, base64url)');
    if (!isLoopback(e.HOST))
      problems.push(`SHOMEI_EMBEDDED_TERMINAL_KEY: only for a service on this machine (HOST 127.0.0.1, ::1 or localhost, got ${e.HOST})`);
  }
  if (problems.length) throw new ConfigError(problems);

  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    secureCookies: publicUrl.startsWith('https:'),
    dataDir: path.resolve(e.DATA_DIR),
    database: e.DATABASE_URL ? { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX } : null,
    demo,
    production,
    pdfWorkers: e.PDF_WORKERS ?? defaultPdfWorkers(os.availableParallelism()),
    saml: {
      idpMetadata: e.SAML_IDP_METADATA ?? null,
      spKeyFile: e.SAML_SP_KEY ?? null,
      spCertFile: e.SAML_SP_CERT ?? null,
      attributes,
      forceAuthn: e.SAML_FORCE_AUTHN,
      wantSignedResponse: e.SAML_WANT_SIGNED_RESPONSE,
      loginsPerMinute: e.SAML_LOGIN_LIMIT,
      entityId: `${publicUrl}/saml/metadata`,
      acsUrl: `${publicUrl}/saml/acs`,
      sloUrl: `${publicUrl}/saml/logout`,
    },
    mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM },
    certificates: {
      signingKeyFile: e.CERT_SIGNING_KEY ?? null,
      signingCertFile: e.CERT_SIGNING_CERT ?? null,
      timestampUrl: e.TSA_URL ?? null,
      timestampCaFile: e.TSA_CA_FILE ?? null,
    },
    reservationValidDays: e.RESERVATION_VALID_DAYS,
    pdfDelivery: { validDays: e.PDF_DELIVERY_VALID_DAYS, maxDownloads: e.PDF_DELIVERY_MAX_DOWNLOADS },
    embeddedTerminalKey: e.SHOMEI_EMBEDDED_TERMINAL_KEY ?? null,
    session: { idleSeconds: 30 * 60, kioskIdleSeconds: 3 * 60, absoluteSeconds: 8 * 60 * 60 },
    logLevel: e.LOG_LEVEL,
    // A hop count ("1") or Express's list of trusted addresses ("loopback, 10.0.0.0/8").
    trustProxy: e.TRUST_PROXY === undefined ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
  };
}

/**
 * One render worker per core the process may use (os.availableParallelism respects taskset and
 * cgroup limits), none on a single core: a worker there shares the one core with the event loop, so
 * it renders nothing faster and only costs an isolate of its own with its fonts and templates (some 40–60 MB).
 */
export function defaultPdfWorkers(cores: number): number {
  return cores > 1 ? cores : 0;
}
