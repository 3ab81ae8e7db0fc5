import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import express, { type Request, type Response, type Router } from 'express';
import { SignedXml } from 'xml-crypto';
import { z } from 'zod';
import { loadOrCreateKeyPair, type KeyPair } from '../adapters/saml/keys.js';
import { checkRedirectSignature } from '../adapters/saml/redirect-binding.js';
import { attr, certBody, escapeXml, NS, onlyChild, parseStrictXml, text } from '../adapters/saml/xml.js';
import type { Config, SamlAttributeField } from '../config.js';
import type { SharedKeyStore } from '../domain/stores.js';
import type { AppDeps } from '../http/deps.js';
import { chosenLanguage } from '../http/middleware/errors.js';
import { resourcesDir } from '../paths.js';
import { AUTOPOST_JS, DEMO_IDP_CSS, demoIdpHome, idpPage } from './demo-idp-pages.js';

/**
 * A built-in IdP for `npm start` without a university IdP: it lists the demo students and
 * answers our AuthnRequest with a signed SAML Response, as a real IdP would. Demo mode only.
 */

const demoUserSchema = z.object({
  eppn: z.string().min(3),
  studentId: z.string().min(1),
  graduateStudentId: z.string().min(1).optional(),
  nameKanji: z.string().min(1),
  nameKana: z.string().min(1),
  nameRoman: z.string().min(1),
  mail: z.email(),
  affiliation: z.string().min(1),
});
export type DemoUser = z.infer<typeof demoUserSchema>;

export const DEMO_USERS_FILE = path.join(resourcesDir, 'demo', 'idp-users.json');

export interface DemoIdp {
  entityId: string;
  ssoUrl: string;
  /** IdP metadata XML: the app gives it to the SP as SAML_IDP_METADATA would. */
  metadataXml: string;
  keys: KeyPair;
  users: DemoUser[];
  config: Config;
}

/** Throws unless the demo IdP may run: demo mode, no real IdP configured, not production. */
export function assertDemoIdpAllowed(config: Pick<Config, 'demo' | 'production' | 'saml'>): void {
  if (config.production) throw new Error('The built-in demo IdP never runs with NODE_ENV=production: set SAML_IDP_METADATA to your IdP.');
  if (config.saml.idpMetadata !== null) {
    throw new Error('The built-in demo IdP does not run when SAML_IDP_METADATA is set: the configured IdP is used instead.');
  }
  if (!config.demo) throw new Error('The built-in demo IdP runs only in demo mode (DEMO=1).');
}

export async function createDemoIdp(config: Config, shared: SharedKeyStore | null = null): Promise<DemoIdp> {
  assertDemoIdpAllowed(config);
  const keys = await loadOrCreateKeyPair(config.dataDir, 'demo-idp', 'Shomei demo IdP (not a real university)', shared);
  let users: DemoUser[];
  try {
    users = z
      .array(demoUserSchema)
      .min(1)
      .parse(JSON.parse(await readFile(DEMO_USERS_FILE, 'utf8')));
  } catch (e) {
    throw new Error(`Cannot read the demo IdP users from ${DEMO_USERS_FILE}: ${(e as Error).message}`, { cause: e });
  }
  const entityId = `${config.publicUrl}/demo-idp/metadata`;
  const ssoUrl = `${config.publicUrl}/demo-idp/sso`;
  const metadataXml =
    `<md:EntityDescriptor xmlns:md="${NS.metadata}" xmlns:ds="${NS.dsig}" entityID="${escapeXml(entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="true" protocolSupportEnumeration="${NS.protocol}">` +
    `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certBody(keys.cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
    `<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escapeXml(ssoUrl)}"/>` +
    `</md:IDPSSODescriptor></md:EntityDescriptor>`;
  return { entityId, ssoUrl, metadataXml, keys, users, config };
}

const SIGNATURE = {
  signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
  transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
} as const;

/**
 * Signs the Response or its Assertion (enveloped, RSA-SHA256, exclusive c14n), placing the
 * signature after the element's Issuer as the SAML schema requires. Also used by tests to
 * forge responses.
 */
export function signSamlXml(xml: string, element: 'Response' | 'Assertion', keys: KeyPair): string {
  const target = element === 'Response' ? "/*[local-name(.)='Response']" : "/*[local-name(.)='Response']/*[local-name(.)='Assertion']";
  const sig = new SignedXml({
    privateKey: keys.key,
    publicCert: keys.cert,
    signatureAlgorithm: SIGNATURE.signatureAlgorithm,
    canonicalizationAlgorithm: SIGNATURE.canonicalizationAlgorithm,
  });
  sig.addReference({ xpath: target, transforms: [...SIGNATURE.transforms], digestAlgorithm: SIGNATURE.digestAlgorithm });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

const FIELDS: readonly SamlAttributeField[] = ['userId', 'mail', 'nameKanji', 'nameKana', 'nameRoman', 'displayName', 'studentId', 'affiliation'];

function attributeValue(user: DemoUser, field: SamlAttributeField): string {
  switch (field) {
    case 'userId':
      return user.eppn;
    case 'displayName':
      return user.nameRoman;
    default:
      return user[field];
  }
}

/** A signed Response (assertion signed, then the response) for `user`, answering `requestId`. */
export function demoLoginResponse(idp: DemoIdp, user: DemoUser, requestId: string, now: Date): string {
  const { saml } = idp.config;
  const iso = (offsetSeconds: number) => new Date(now.getTime() + offsetSeconds * 1000).toISOString();
  const id = () => `_${randomBytes(20).toString('hex')}`;
  const e = escapeXml;
  // A persistent, pairwise NameID: stable for this user at this SP, meaningless elsewhere.
  const nameId = createHash('sha256').update(`${user.eppn}|${saml.entityId}`).digest('hex').slice(0, 40);

  // The attribute names the service is configured for (eduPerson / GakuNin OIDs by default);
  // fields sharing one name (displayName and nameRoman by default) give one attribute.
  const attributes = new Map<string, string>();
  for (const field of FIELDS) {
    const name = saml.attributes[field];
    if (!attributes.has(name)) attributes.set(name, attributeValue(user, field));
  }
  const attributeXml = [...attributes]
    .map(
      ([name, value]) =>
        `<saml:Attribute Name="${e(name)}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">` +
        `<saml:AttributeValue xsi:type="xs:string">${e(value)}</saml:AttributeValue></saml:Attribute>`,
    )
    .join('');

  const unsigned =
    `<samlp:Response xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${id()}" Version="2.0" IssueInstant="${iso(0)}"` +
    ` Destination="${e(saml.acsUrl)}" InResponseTo="${e(requestId)}">` +
    `<saml:Issuer>${e(idp.entityId)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${id()}" Version="2.0" IssueInstant="${iso(0)}">` +
    `<saml:Issuer>${e(idp.entityId)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" NameQualifier="${e(idp.entityId)}" SPNameQualifier="${e(saml.entityId)}">${nameId}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">` +
    `<saml:SubjectConfirmationData NotOnOrAfter="${iso(300)}" Recipient="${e(saml.acsUrl)}" InResponseTo="${e(requestId)}"/>` +
    `</saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(-30)}" NotOnOrAfter="${iso(300)}"><saml:AudienceRestriction><saml:Audience>${e(saml.entityId)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(0)}" SessionNotOnOrAfter="${iso(8 * 3600)}" SessionIndex="${id()}">` +
    `<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    `<saml:AttributeStatement>${attributeXml}</saml:AttributeStatement>` +
    `</saml:Assertion></samlp:Response>`;
  return signSamlXml(signSamlXml(unsigned, 'Assertion', idp.keys), 'Response', idp.keys);
}

/** What the demo IdP reads from our AuthnRequest (HTTP-Redirect, signed by the SP). */
interface DemoAuthnRequest {
  id: string;
  forceAuthn: boolean;
}

function readAuthnRequest(req: Request, idp: DemoIdp, spCert: string): DemoAuthnRequest {
  const raw = req.originalUrl.slice(req.originalUrl.indexOf('?') + 1);
  const rawParams = new Map(raw.split('&').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as const));
  const value = (n: string) => (rawParams.has(n) ? decodeURIComponent(rawParams.get(n)!.replace(/\+/g, ' ')) : undefined);
  const samlRequest = value('SAMLRequest');
  const sigAlg = value('SigAlg');
  const signature = value('Signature');
  if (!samlRequest || !sigAlg || !signature) throw new Error('unsigned or missing SAMLRequest');
  const octetString = ['SAMLRequest', 'RelayState', 'SigAlg']
    .filter((n) => rawParams.has(n))
    .map((n) => `${n}=${rawParams.get(n)}`)
    .join('&');
  const check = checkRedirectSignature({ octetString, sigAlg, signature }, [spCert]);
  if (check === 'algorithm-refused') throw new Error(`signature algorithm ${sigAlg}`);
  if (check !== 'valid') throw new Error('AuthnRequest signature does not verify with the SP certificate');
  const doc = parseStrictXml(inflateRawSync(Buffer.from(samlRequest, 'base64')).toString('utf8'));
  const root = doc.documentElement!;
  if (root.localName !== 'AuthnRequest' || root.namespaceURI !== NS.protocol) throw new Error('not an AuthnRequest');
  const { saml } = idp.config;
  if (text(onlyChild(root, NS.assertion, 'Issuer')) !== saml.entityId) throw new Error('AuthnRequest from an unknown SP');
  const acs = attr(root, 'AssertionConsumerServiceURL');
  if (acs !== null && acs !== saml.acsUrl) throw new Error(`unknown ACS URL ${acs}`);
  if (attr(root, 'Destination') !== idp.ssoUrl) throw new Error('AuthnRequest for another IdP');
  const id = attr(root, 'ID');
  if (!id) throw new Error('AuthnRequest without ID');
  return { id, forceAuthn: attr(root, 'ForceAuthn') === 'true' };
}

const h = escapeXml;

/** The demo IdP's pages at /demo-idp (mounted by the app in demo mode only). */
export function demoIdpRoutes(idp: DemoIdp, deps: Pick<AppDeps, 'idp' | 'clock' | 'sessionCookies' | 'devMailbox' | 'staff'>): Router {
  assertDemoIdpAllowed(idp.config);
  const router = express.Router();
  const spCert = () => {
    const doc = parseStrictXml(deps.idp.metadata());
    const cert = doc.getElementsByTagNameNS(NS.dsig, 'X509Certificate')[0];
    if (!cert) throw new Error('SP metadata has no certificate');
    return certBody(cert.textContent ?? '');
  };
  const refuse = (res: Response, reason: string) => {
    res
      .status(400)
      .type('html')
      .send(
        idpPage(
          'デモ用 IdP / Demo IdP',
          `<h1>要求を処理できません / Cannot handle this request</h1><p class="note">${h(reason)}</p><p><a href="/login">ログイン画面へ / To the login screen</a></p>`,
        ),
      );
  };

  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // What the demo IdP is, for a person who opens it directly (the README points here).
  router.get('/', (req, res) => {
    const asked = req.query.lang;
    const language = asked === 'en' || asked === 'ja' ? asked : (chosenLanguage(req) ?? 'ja');
    res.type('html').send(demoIdpHome({ users: idp.users, language, devMailbox: deps.devMailbox !== null, staffUsers: deps.staff.demoStaff?.users ?? [] }));
  });
  router.get('/metadata', (_req, res) => {
    res.type('application/samlmetadata+xml').send(idp.metadataXml);
  });
  router.get('/demo-idp.css', (_req, res) => {
    res.type('text/css').send(DEMO_IDP_CSS);
  });
  router.get('/autopost.js', (_req, res) => {
    res.type('text/javascript').send(AUTOPOST_JS);
  });

  router.get('/sso', async (req, res) => {
    let request: DemoAuthnRequest;
    try {
      request = readAuthnRequest(req, idp, spCert());
    } catch (e) {
      req.log.warn({ detail: (e as Error).message }, 'demo IdP refused an AuthnRequest');
      refuse(res, (e as Error).message);
      return;
    }
    const session = await deps.sessionCookies.ensure(req, res);
    const relayState = typeof req.query.RelayState === 'string' ? req.query.RelayState : '';
    const items = idp.users
      .map(
        (u, i) =>
          `<li><form method="post" action="/demo-idp/sso">` +
          `<input type="hidden" name="_csrf" value="${h(session.record.csrfToken)}">` +
          `<input type="hidden" name="requestId" value="${h(request.id)}">` +
          `<input type="hidden" name="RelayState" value="${h(relayState)}">` +
          `<input type="hidden" name="user" value="${i}">` +
          `<button type="submit">${h(u.nameKanji)}（${h(u.nameKana)}） ${h(u.nameRoman)}` +
          `<span class="meta">学籍番号 / Student ID ${h(u.studentId)} · ${h(u.eppn)}</span></button></form></li>`,
      )
      .join('');
    res
      .type('html')
      .send(
        idpPage(
          'デモ用 IdP / Demo IdP',
          `<h1>サインインする学生を選んでください<br>Choose the student to sign in as</h1>` +
            `<p class="note">パスワードは不要です（デモ用）。/ No password: this is a demo.</p><ul>${items}</ul>`,
        ),
      );
  });

  router.post('/sso', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = idp.users[Number(body.user)];
    const requestId = typeof body.requestId === 'string' && /^[A-Za-z_][\w.-]{0,127}$/.test(body.requestId) ? body.requestId : null;
    if (!user || !requestId) {
      refuse(res, 'unknown user or request');
      return;
    }
    const relayState = typeof body.RelayState === 'string' ? body.RelayState : '';
    const samlResponse = Buffer.from(demoLoginResponse(idp, user, requestId, deps.clock.now()), 'utf8').toString('base64');
    res
      .type('html')
      .send(
        idpPage(
          'デモ用 IdP / Demo IdP',
          `<h1>サービスへ戻ります / Returning to the service</h1>` +
            `<form method="post" action="${h(idp.config.saml.acsUrl)}" data-autopost>` +
            `<input type="hidden" name="SAMLResponse" value="${h(samlResponse)}">` +
            (relayState ? `<input type="hidden" name="RelayState" value="${h(relayState)}">` : '') +
            `<button type="submit">続ける / Continue</button></form>` +
            `<script src="/demo-idp/autopost.js"></script>`,
        ),
      );
  });

  return router;
}
