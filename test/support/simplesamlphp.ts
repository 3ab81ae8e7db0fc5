import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selfSigned } from './keys.js';
import { freePort } from './ports.js';

/**
 * A real SimpleSAMLphp 1.19 IdP (Debian's package) for tests: a throw-away config directory
 * (SIMPLESAMLPHP_CONFIG_DIR), users from `exampleauth:UserPass`, attribute names through
 * `core:AttributeMap name2oid`, our SP registered in saml20-sp-remote.php, served by
 * `php -S 127.0.0.1:PORT` from a docroot whose `simplesaml` links to the package's www/.
 */

const SSP_HOME = process.env.SIMPLESAMLPHP_HOME ?? '/usr/share/simplesamlphp';
const ATTRIBUTE_MAP_DIRS = [path.join(SSP_HOME, 'attributemap'), '/etc/simplesamlphp/attributemap'];

export interface SspUser {
  username: string;
  password: string;
  /** Attribute name → values; names listed in name2oid (mail, eduPersonPrincipalName, …) leave as OIDs. */
  attributes: Record<string, string[]>;
}

export interface SspOptions {
  users: SspUser[];
  sp: { entityId: string; acsUrl: string; sloUrl: string; certPem: string };
  /** NameID the IdP issues: transient (default) or persistent, derived from `attribute` (a user attribute name). */
  nameId?: { format: 'transient' } | { format: 'persistent'; attribute: string };
  /** Sign the Response / the Assertion (SimpleSAMLphp's defaults: both). */
  signResponse?: boolean;
  signAssertion?: boolean;
}

export interface RunningSimpleSamlPhp {
  baseUrl: string;
  entityId: string;
  metadataUrl: string;
  metadataXml: string;
  /** The IdP's signing key and certificate (PEM), for tests that forge its messages; files live under `dir`. */
  idpKeyPem: string;
  idpCertPem: string;
  idpKeyFile: string;
  dir: string;
  /** SimpleSAMLphp's own log, for diagnosing a failed test. */
  logFile: string;
  stop(): Promise<void>;
}

const NAMEID = {
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
};

const certBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

// The PHP files read their settings from settings.json beside them: no PHP string escaping.
const CONFIG_PHP = `<?php
$s = json_decode(file_get_contents(__DIR__ . '/settings.json'), true);
$config = [
    'baseurlpath' => $s['baseUrl'] . '/',
    'certdir' => $s['dir'] . '/cert/',
    'loggingdir' => $s['dir'] . '/log/',
    'datadir' => $s['dir'] . '/data/',
    'tempdir' => $s['dir'] . '/tmp',
    'metadatadir' => $s['dir'] . '/metadata/',
    'attributenamemapdir' => $s['attributeMapDir'] . '/',
    'metadata.sources' => [['type' => 'flatfile', 'directory' => $s['dir'] . '/metadata']],
    'secretsalt' => $s['secretSalt'],
    'auth.adminpassword' => $s['adminPassword'],
    'admin.protectindexpage' => true,
    'admin.protectmetadata' => false,
    'admin.checkforupdates' => false,
    'technicalcontact_name' => 'Shomei tests',
    'technicalcontact_email' => 'tests@example.org',
    'timezone' => 'UTC',
    'enable.saml20-idp' => true,
    'enable.shib13-idp' => false,
    'module.enable' => ['exampleauth' => true, 'core' => true, 'saml' => true, 'admin' => true],
    'session.cookie.name' => 'SimpleSAMLSessionID',
    'session.cookie.samesite' => 'Lax',
    'session.cookie.secure' => false,
    'session.phpsession.cookiename' => 'SimpleSAML',
    'session.phpsession.savepath' => $s['dir'] . '/sessions',
    'session.phpsession.httponly' => true,
    'session.authtoken.cookiename' => 'SimpleSAMLAuthToken',
    'language.cookie.secure' => false,
    'language.cookie.samesite' => 'Lax',
    'language.default' => 'en',
    'store.type' => 'phpsession',
    'logging.level' => SimpleSAML\\Logger::INFO,
    'logging.handler' => 'file',
    'logging.logfile' => 'simplesamlphp.log',
    'showerrors' => true,
    'errorreporting' => false,
    'debug' => ['saml' => false, 'backtraces' => true, 'validatexml' => false],
    'production' => false,
    'theme.use' => 'default',
    'trusted.url.domains' => $s['trustedDomains'],
];
`;

const AUTHSOURCES_PHP = `<?php
$s = json_decode(file_get_contents(__DIR__ . '/settings.json'), true);
$userpass = ['exampleauth:UserPass'];
foreach ($s['users'] as $u) {
    $userpass[$u['username'] . ':' . $u['password']] = $u['attributes'];
}
$config = [
    'admin' => ['core:AdminPassword'],
    'example-userpass' => $userpass,
];
`;

const IDP_HOSTED_PHP = `<?php
$s = json_decode(file_get_contents(__DIR__ . '/../config/settings.json'), true);
$authproc = [];
if ($s['nameId']['format'] === 'persistent') {
    $authproc[10] = ['class' => 'saml:PersistentNameID', 'attribute' => $s['nameId']['attribute']];
}
$authproc[50] = ['class' => 'core:AttributeMap', 'name2oid'];
$metadata['__DYNAMIC:1__'] = [
    'host' => '__DEFAULT__',
    'privatekey' => 'idp.key',
    'certificate' => 'idp.crt',
    'auth' => 'example-userpass',
    'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    'sign.logout' => true,
    'NameIDFormat' => $s['nameIdFormat'],
    'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
    'authproc' => $authproc,
];
`;

const SP_REMOTE_PHP = `<?php
$s = json_decode(file_get_contents(__DIR__ . '/../config/settings.json'), true);
$sp = $s['sp'];
$metadata[$sp['entityId']] = [
    'AssertionConsumerService' => [
        ['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', 'Location' => $sp['acsUrl'], 'index' => 0],
    ],
    'SingleLogoutService' => [
        ['Binding' => 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', 'Location' => $sp['sloUrl']],
    ],
    'certData' => $sp['certData'],
    'validate.authnrequest' => true,
    'validate.logout' => true,
    'sign.logout' => true,
    'NameIDFormat' => $s['nameIdFormat'],
    'attributes.NameFormat' => 'urn:oasis:names:tc:SAML:2.0:attrname-format:uri',
    'saml20.sign.response' => $s['signResponse'],
    'saml20.sign.assertion' => $s['signAssertion'],
    'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
];
`;

/** Starts SimpleSAMLphp and resolves once its IdP metadata answers. */
export async function startSimpleSamlPhp(options: SspOptions): Promise<RunningSimpleSamlPhp> {
  if (!existsSync(path.join(SSP_HOME, 'www', 'saml2', 'idp', 'SSOService.php'))) {
    throw new Error(`SimpleSAMLphp is not installed at ${SSP_HOME} (apt-get install simplesamlphp php-cli php-xml php-mbstring php-curl)`);
  }
  const attributeMapDir = ATTRIBUTE_MAP_DIRS.find((d) => existsSync(path.join(d, 'name2oid.php')));
  if (!attributeMapDir) throw new Error(`name2oid.php not found in ${ATTRIBUTE_MAP_DIRS.join(' or ')}`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'shomei-ssp-'));
  for (const sub of ['config', 'metadata', 'cert', 'log', 'data', 'tmp', 'sessions', 'docroot']) mkdirSync(path.join(dir, sub));
  symlinkSync(path.join(SSP_HOME, 'www'), path.join(dir, 'docroot', 'simplesaml'));

  const pems = await selfSigned('SimpleSAMLphp test IdP');
  const idpKeyFile = path.join(dir, 'cert', 'idp.key');
  writeFileSync(idpKeyFile, pems.key, { mode: 0o600 });
  writeFileSync(path.join(dir, 'cert', 'idp.crt'), pems.cert);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}/simplesaml`;
  const nameId = options.nameId ?? { format: 'transient' as const };
  const settings = {
    baseUrl,
    dir,
    attributeMapDir,
    secretSalt: Math.random().toString(36).slice(2) + Date.now().toString(36) + Math.random().toString(36).slice(2),
    adminPassword: Math.random().toString(36).slice(2),
    users: options.users,
    nameId,
    nameIdFormat: NAMEID[nameId.format],
    signResponse: options.signResponse ?? true,
    signAssertion: options.signAssertion ?? true,
    sp: { ...options.sp, certData: certBody(options.sp.certPem) },
    // Where the IdP may send the browser after an IdP-initiated logout (host:port, as SimpleSAMLphp compares).
    trustedDomains: [new URL(options.sp.acsUrl).host],
  };
  writeFileSync(path.join(dir, 'config', 'settings.json'), JSON.stringify(settings));
  writeFileSync(path.join(dir, 'config', 'config.php'), CONFIG_PHP);
  writeFileSync(path.join(dir, 'config', 'authsources.php'), AUTHSOURCES_PHP);
  writeFileSync(path.join(dir, 'metadata', 'saml20-idp-hosted.php'), IDP_HOSTED_PHP);
  writeFileSync(path.join(dir, 'metadata', 'saml20-sp-remote.php'), SP_REMOTE_PHP);

  const logFile = path.join(dir, 'log', 'php-server.log');
  const child: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', path.join(dir, 'docroot')], {
    cwd: dir,
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: path.join(dir, 'config'), PHP_CLI_SERVER_WORKERS: '4' },
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: `php -S` with workers does not pass SIGTERM on, so stop() signals the group.
    detached: true,
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) signalGroup('SIGKILL');
    }
    signalGroup('SIGKILL'); // workers that outlived the master
    writeFileSync(logFile, stderr);
    if (!process.env.KEEP_SSP_DIR) rmSync(dir, { recursive: true, force: true });
  };

  const metadataUrl = `${baseUrl}/saml2/idp/metadata.php`;
  const deadline = Date.now() + 20_000;
  let metadataXml: string;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`php -S exited (${child.exitCode}):\n${stderr}`);
    }
    try {
      const r = await fetch(metadataUrl);
      const body = await r.text();
      if (r.ok && body.includes('IDPSSODescriptor')) {
        metadataXml = body;
        break;
      }
      if (Date.now() > deadline) throw new Error(`HTTP ${r.status}: ${body.slice(0, 2000)}`);
    } catch (e) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`SimpleSAMLphp did not serve its metadata at ${metadataUrl}: ${(e as Error).message}\n${stderr}`, { cause: e });
      }
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    baseUrl,
    entityId: metadataUrl,
    metadataUrl,
    metadataXml,
    idpKeyPem: pems.key,
    idpCertPem: pems.cert,
    idpKeyFile,
    dir,
    logFile,
    stop,
  };
}
