import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { selfSigned } from '../support/keys.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeyPair } from '../../service/adapters/saml/keys.js';
import { HttpBrowser, parseForms, type Form, type Page } from '../support/http-browser.js';
import { assertion, attributeValues, decode, edit, encode, first, NS, resign, response, setText, unsign } from '../support/saml-forge.js';
import { startService, type RunningService } from '../support/service.js';
import { completeSetup, signingKeyEnv } from '../support/institution.js';
import { startSimpleSamlPhp, type RunningSimpleSamlPhp, type SspUser } from '../support/simplesamlphp.js';
import { freePort } from '../support/ports.js';
import { recordCounts } from '../support/record-counts.js';
import { enrollTerminal, proofHeaders } from '../support/terminal.js';

/**
 * The whole SP-initiated login against a real SimpleSAMLphp 1.19 IdP and the real service,
 * then forged responses (made from captured real ones, re-signed with the IdP's own key where
 * the point is that only our checks can catch them): each must be refused with no session
 * and no account created.
 */

const OID = {
  eppn: 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6',
  mail: 'urn:oid:0.9.2342.19200300.100.1.3',
  employeeNumber: 'urn:oid:2.16.840.1.113730.3.1.3',
};

// Not the default attribute names for the student ID and the names: proves SAML_ATTRIBUTES is used.
const SAML_ATTRIBUTES = {
  studentId: OID.employeeNumber,
  nameKanji: 'jaDisplayName',
  nameKana: 'x-shomei-kana',
  nameRoman: 'x-shomei-roman',
};

let serial = 0;
/** An IdP user with attribute names as an IdP's LDAP would have them (name2oid turns known ones into OIDs). */
function sspUser(kanji: string, kana: string, roman: string, studentId: string): SspUser {
  const username = `u${++serial}-${roman.split(' ')[0]!.toLowerCase()}`;
  return {
    username,
    password: `Pw!${username}#${serial * 7919}`,
    attributes: {
      eduPersonPrincipalName: [`${username}@idp.sso.example.ac.jp`],
      mail: [`${username}@student.example.ac.jp`],
      employeeNumber: [studentId],
      jaDisplayName: [kanji],
      'x-shomei-kana': [kana],
      'x-shomei-roman': [roman],
    },
  };
}

const ALICE = sspUser('川口 千尋', 'カワグチ チヒロ', 'Chihiro Kawaguchi', 'G7-330512');
const KIOSK = sspUser('森田 大地', 'モリタ ダイチ', 'Daichi Morita', 'G7-330513');
const LOGOUT = sspUser('青木 奈々', 'アオキ ナナ', 'Nana Aoki', 'G7-330514');
const REPLAYED = sspUser('石井 翔', 'イシイ ショウ', 'Sho Ishii', 'G7-330515');
const SIGNED_ONE_WAY = sspUser('上田 彩', 'ウエダ アヤ', 'Aya Ueda', 'G7-330516');
const VICTIM = sspUser('宮本 健', 'ミヤモト ケン', 'Ken Miyamoto', 'G7-330517');
const ATTACKER = sspUser('悪田 偽男', 'ワルダ ニセオ', 'Niseo Waruda', 'X0-000000');
const USERS = [ALICE, KIOSK, LOGOUT, REPLAYED, SIGNED_ONE_WAY, VICTIM, ATTACKER];

const eppn = (u: SspUser) => u.attributes.eduPersonPrincipalName![0]!;

describe('SAML login with a real SimpleSAMLphp IdP', () => {
  let work: string;
  let ssp: RunningSimpleSamlPhp;
  let svc: RunningService;
  let idpKeys: KeyPair;
  let attackerKeys: KeyPair;
  const logLines: { msg?: string; detail?: string; code?: string }[] = [];

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'shomei-saml-it-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    // The IdP registers our certificate, so our key pair exists before either side starts.
    const sp = await selfSigned('shomei-it');
    writeFileSync(path.join(work, 'sp-key.pem'), sp.key, { mode: 0o600 });
    writeFileSync(path.join(work, 'sp-cert.pem'), sp.cert);
    const attacker = await selfSigned('attacker');
    attackerKeys = { key: attacker.key, cert: attacker.cert };

    ssp = await startSimpleSamlPhp({
      users: USERS,
      sp: { entityId: `${url}/saml/metadata`, acsUrl: `${url}/saml/acs`, sloUrl: `${url}/saml/logout`, certPem: sp.cert },
      nameId: { format: 'persistent', attribute: 'eduPersonPrincipalName' },
    });
    idpKeys = { key: ssp.idpKeyPem, cert: ssp.idpCertPem };
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
    svc = await startService(
      {
        PORT: String(port),
        DEMO: '0',
        SAML_IDP_METADATA: ssp.metadataUrl,
        SAML_SP_KEY: path.join(work, 'sp-key.pem'),
        SAML_SP_CERT: path.join(work, 'sp-cert.pem'),
        SAML_ATTRIBUTES: JSON.stringify(SAML_ATTRIBUTES),
        // Every case here starts a login from this one client (the limit: anonymous-visitors.test.ts).
        SAML_LOGIN_LIMIT: '1000',
        ...(await signingKeyEnv(work)),
      },
      { logger },
    );
    await completeSetup(svc.deps);
  });

  afterAll(async () => {
    await svc?.stop();
    await ssp?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const counts = () => recordCounts(svc);

  /** /saml/login → the IdP's password form (unless its session still holds) → the auto-post form to our ACS, not yet posted. */
  async function signInAtIdp(user: SspUser, browser = new HttpBrowser()): Promise<{ browser: HttpBrowser; form: Form; askedPassword: boolean }> {
    let page: Page = await browser.get(`${svc.url}/saml/login?returnTo=/mail/change`);
    const askedPassword = page.url.includes('loginuserpass');
    if (askedPassword) page = await browser.submit(page, { username: user.username, password: user.password });
    const form = parseForms(page.body, page.url).find((f) => 'SAMLResponse' in f.fields);
    if (!form) throw new Error(`no SAML auto-post form at ${page.url} (HTTP ${page.status}):\n${page.body.slice(0, 2000)}`);
    return { browser, form, askedPassword };
  }

  /** Posts `samlResponse` (base64) to our ACS as the IdP's page would, and follows to our login screen or further. */
  function postToAcs(browser: HttpBrowser, form: Form, samlResponse: string) {
    return browser.go('POST', form.action, {
      form: { ...form.fields, SAMLResponse: samlResponse },
      stopAt: (u) => new URL(u).pathname === '/login' || new URL(u).pathname === '/mail/register' || new URL(u).pathname === '/mail/change',
    });
  }

  async function me(browser: HttpBrowser) {
    const r = await browser.request('GET', `${svc.url}/api/me`, { headers: { accept: 'application/json' } });
    return { status: r.status, body: r.status === 200 ? (JSON.parse(r.body) as Record<string, unknown>) : null };
  }

  /** Signs `user` in completely; returns the browser and the raw response the IdP sent. */
  async function signIn(user: SspUser, browser = new HttpBrowser()) {
    const { form } = await signInAtIdp(user, browser);
    const done = await postToAcs(browser, form, form.fields.SAMLResponse!);
    expect(done.trail.at(-1), `login of ${user.username} ended at ${done.trail.join(' → ')}`).toMatch(/\/mail\/register$|\/mail\/change$/);
    return { browser, samlResponse: form.fields.SAMLResponse! };
  }

  /**
   * Posts a forged response in the browser that started the request and checks that it is
   * refused for `reason`, with no session and no account created.
   */
  async function expectRefused(
    forge: (xml: string) => string,
    reason: RegExp,
    user: SspUser = VICTIM,
    options: { accountExists?: boolean; atCompletion?: boolean } = {},
  ) {
    const { browser, form } = await signInAtIdp(user);
    const before = await counts();
    const forged = encode(forge(decode(form.fields.SAMLResponse!)));
    const linesBefore = logLines.length;
    const page = await postToAcs(browser, form, forged);
    // Refused at the ACS, or — when only the browser can tell — at the same-site completion.
    if (options.atCompletion) {
      expect(page.trail).toEqual([expect.stringMatching(/\/saml\/complete\?code=/), `${svc.url}/login?error=saml.unbound`]);
    } else {
      expect(page.trail).toEqual([`${svc.url}/login?error=saml.invalid`]);
    }
    const step = options.atCompletion ? 'login completion' : 'response';
    const refusal = logLines.slice(linesBefore).find((l) => l.msg === `SAML ${step} refused`);
    if (process.env.SHOW_REFUSALS) console.log(`REFUSAL ${expect.getState().currentTestName}: ${refusal?.detail}`);
    expect(refusal?.detail, 'the refusal reason logged').toMatch(reason);
    expect((await me(browser)).status).toBe(401);
    const after = await counts();
    expect(after.sessions).toBe(before.sessions);
    expect(after.accounts).toBe(before.accounts);
    if (!options.accountExists) expect(await svc.stores.store.accounts.findByIdentity(ssp.entityId, eppn(user))).toBeNull();
    return refusal!.detail!;
  }

  describe('SP-initiated login', () => {
    it('signs a student in and shows what the IdP asserted, through SAML_ATTRIBUTES', async () => {
      const browser = new HttpBrowser();
      const { form, askedPassword } = await signInAtIdp(ALICE, browser);
      expect(askedPassword).toBe(true);
      expect(form.action).toBe(`${svc.url}/saml/acs`);
      const acs = await browser.request('POST', form.action, { form: form.fields });
      expect(acs.status).toBe(303);
      expect(acs.headers.get('location')).toMatch(/^\/saml\/complete\?code=[A-Za-z0-9_-]+$/);
      // The code carries the verified login sealed: nothing the IdP asserted is readable in it.
      expect(Buffer.from(acs.headers.get('location')!.split('=')[1]!, 'base64url').toString('latin1')).not.toContain('G7-330512');
      // The cross-site POST creates no session; the same-site GET that follows signs in.
      expect(acs.headers.getSetCookie().join()).not.toMatch(/shomei_sid/);
      const done = await browser.get(new URL(acs.headers.get('location')!, svc.url).toString(), { stopAt: (u) => new URL(u).pathname === '/mail/register' });
      expect(done.trail).toEqual([`${svc.url}/mail/register`]);
      expect(done.headers.get('cache-control')).toBe('no-store');

      const { status, body } = await me(browser);
      expect(status).toBe(200);
      expect(body).toMatchObject({ mail: null, suggestedMail: ALICE.attributes.mail![0], studentIds: ['G7-330512'], language: 'ja', previousLoginAt: null });
      const account = await svc.stores.store.accounts.findByIdentity(ssp.entityId, eppn(ALICE));
      expect(account).toMatchObject({
        nameKanji: '川口 千尋',
        nameKana: 'カワグチ チヒロ',
        nameRoman: 'Chihiro Kawaguchi',
        idpMail: ALICE.attributes.mail![0],
        studentIds: ['G7-330512'],
      });
    });

    it('serves SP metadata that the IdP can register', async () => {
      const r = await new HttpBrowser().request('GET', `${svc.url}/saml/metadata`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^application\/samlmetadata\+xml/);
      expect(r.body).toContain(`entityID="${svc.url}/saml/metadata"`);
      expect(r.body).toMatch(/AuthnRequestsSigned="true"/);
      expect(r.body).toMatch(/WantAssertionsSigned="true"/);
      expect(r.body).toContain(`Location="${svc.url}/saml/acs"`);
    });

    it('makes a kiosk re-authenticate at the IdP even while the IdP session lasts (ForceAuthn)', async () => {
      const browser = new HttpBrowser();
      await signIn(KIOSK, browser);
      // An ordinary browser is signed in again silently by the IdP's session, even one that only claims the kiosk's User-Agent…
      expect((await signInAtIdp(KIOSK, browser)).askedPassword).toBe(false);
      browser.userAgent = 'Mozilla/5.0 (X11; Linux x86_64) ShomeiKiosk/1.0';
      expect((await signInAtIdp(KIOSK, browser)).askedPassword).toBe(false);
      // …an enrolled terminal, whose shell proves every request to the service (and nothing to the IdP), is asked again.
      const terminal = await enrollTerminal(svc.deps.terminals, 'LIB-1F-SAML');
      browser.headersFor = (method, url) => (new URL(url).origin === svc.url ? proofHeaders(terminal.key, method, url) : {});
      const kiosk = await signInAtIdp(KIOSK, browser);
      expect(kiosk.askedPassword).toBe(true);
      const done = await postToAcs(browser, kiosk.form, kiosk.form.fields.SAMLResponse!);
      expect(done.trail.at(-1)).toMatch(/\/mail\/register$/);
      const session = JSON.parse((await browser.request('GET', `${svc.url}/api/session`, { headers: { accept: 'application/json' } })).body);
      expect(session).toMatchObject({ signedIn: true, kiosk: true, idleTimeoutSeconds: 180 });
    });

    it('logs out at the IdP too, so the next login asks for the password again', async () => {
      const { browser } = await signIn(LOGOUT);
      const session = JSON.parse((await browser.request('GET', `${svc.url}/api/session`, { headers: { accept: 'application/json' } })).body) as {
        csrfToken: string;
      };
      const out = await browser.request('POST', `${svc.url}/api/logout`, { headers: { accept: 'application/json', 'x-csrf-token': session.csrfToken } });
      const { redirect } = JSON.parse(out.body) as { redirect: string };
      expect(redirect.startsWith(`${ssp.baseUrl}/saml2/idp/SingleLogoutService.php?SAMLRequest=`)).toBe(true);
      const back = await browser.get(redirect, { stopAt: (u) => new URL(u).pathname === '/login' });
      expect(back.trail.at(-1)).toBe(`${svc.url}/login?loggedOut=1`);
      expect((await me(browser)).status).toBe(401);
      expect((await signInAtIdp(LOGOUT, browser)).askedPassword).toBe(true);
    });

    it('ends our session when the IdP starts the logout', async () => {
      const { browser } = await signIn(LOGOUT);
      expect((await me(browser)).status).toBe(200);
      const done = await browser.get(`${ssp.baseUrl}/saml2/idp/SingleLogoutService.php?ReturnTo=${encodeURIComponent(`${svc.url}/login?idpLogout=1`)}`, {
        stopAt: (u) => new URL(u).pathname === '/login',
      });
      expect(done.trail.some((u) => u.startsWith(`${svc.url}/saml/logout?SAMLRequest=`))).toBe(true);
      expect(done.trail.at(-1)).toBe(`${svc.url}/login?idpLogout=1`);
      expect((await me(browser)).status).toBe(401);
    });

    it('ignores a LogoutRequest that the IdP did not sign', async () => {
      const { browser } = await signIn(LOGOUT);
      const logout = await browser.get(`${ssp.baseUrl}/saml2/idp/SingleLogoutService.php?ReturnTo=${encodeURIComponent(`${svc.url}/login`)}`, {
        stopAt: (u) => u.startsWith(`${svc.url}/saml/logout`),
      });
      const signed = new URL(logout.trail.at(-1)!);
      // The IdP's own request, stripped of its signature, then sent again.
      signed.searchParams.delete('Signature');
      signed.searchParams.delete('SigAlg');
      const r = await browser.request('GET', signed.toString());
      expect(r.headers.get('location')).toBe('/login?error=saml.invalid');
      expect((await me(browser)).status).toBe(200);
    });
  });

  describe('accepts what the SAML profile allows', () => {
    it('a response whose assertion is covered only by the Response signature', async () => {
      const { browser, form } = await signInAtIdp(SIGNED_ONE_WAY);
      const page = await postToAcs(browser, form, encode(resign(decode(form.fields.SAMLResponse!), idpKeys, { response: true })));
      expect(page.trail.at(-1)).toMatch(/\/mail\/register$/);
    });
  });

  describe('refuses forged and misdirected responses, creating no session', () => {
    it('a replayed response, captured after a valid login', async () => {
      const { samlResponse } = await signIn(REPLAYED);
      const attacker = new HttpBrowser();
      await attacker.get(`${svc.url}/saml/login`); // an anonymous session of its own
      const before = await counts();
      const page = await attacker.go('POST', `${svc.url}/saml/acs`, { form: { SAMLResponse: samlResponse }, stopAt: (u) => new URL(u).pathname === '/login' });
      expect(page.trail).toEqual([`${svc.url}/login?error=saml.invalid`]);
      expect((await me(attacker)).status).toBe(401);
      expect(await counts()).toMatchObject({ sessions: before.sessions, accounts: before.accounts });
    });

    it('a response for another SP (wrong Audience)', async () => {
      await expectRefused(
        (xml) =>
          resign(
            edit(xml, (d) => setText(first(d, 'Audience'), 'https://other-sp.example.ac.jp/shibboleth')),
            idpKeys,
          ),
        /Audience/,
      );
    });

    it('a response addressed to another endpoint (wrong Destination)', async () => {
      await expectRefused(
        (xml) =>
          resign(
            edit(xml, (d) => response(d).setAttribute('Destination', 'https://other-sp.example.ac.jp/acs')),
            idpKeys,
          ),
        /Destination/,
      );
    });

    it('a response without Destination', async () => {
      await expectRefused(
        (xml) =>
          resign(
            edit(xml, (d) => response(d).removeAttribute('Destination')),
            idpKeys,
          ),
        /no Destination/,
      );
    });

    it('an assertion for another recipient (wrong Recipient)', async () => {
      await expectRefused(
        (xml) =>
          resign(
            edit(xml, (d) => first(d, 'SubjectConfirmationData').setAttribute('Recipient', 'https://other-sp.example.ac.jp/acs')),
            idpKeys,
          ),
        /Recipient/,
      );
    });

    it('a response with every signature stripped', async () => {
      await expectRefused((xml) => unsign(xml), /FAILED_TO_VERIFY_SIGNATURE|no valid IdP signature/);
    });

    it('a response signed only at the Response level, with that signature stripped', async () => {
      await expectRefused((xml) => unsign(resign(xml, idpKeys, { response: true }), 'Response'), /FAILED_TO_VERIFY_SIGNATURE|no valid IdP signature/);
    });

    it('an assertion signed only by itself, with that signature stripped', async () => {
      await expectRefused((xml) => unsign(resign(xml, idpKeys, { assertion: true }), 'Assertion'), /FAILED_TO_VERIFY_SIGNATURE|no valid IdP signature/);
    });

    it('a doubly signed response with the Response signature stripped (the Response must be signed)', async () => {
      await expectRefused((xml) => unsign(xml, 'Response'), /Response itself is not signed/);
    });

    it('a doubly signed response with the assertion signature stripped (breaks the response signature)', async () => {
      await expectRefused((xml) => unsign(xml, 'Assertion'), /signature/i);
    });

    it('an attribute value changed after signing', async () => {
      const detail = await expectRefused((xml) => edit(xml, (d) => setText(attributeValues(d, OID.employeeNumber)[0]!, 'G7-999999')), /signature/i);
      expect(detail).not.toMatch(/G7-999999/);
    });

    it('the user identifier changed after signing', async () => {
      await expectRefused((xml) => edit(xml, (d) => setText(attributeValues(d, OID.eppn)[0]!, eppn(ALICE))), /signature/i);
    });

    it('an extra assertion next to the signed one', async () => {
      await expectRefused(
        (xml) =>
          edit(xml, (d) => {
            const copy = assertion(d).cloneNode(true) as ReturnType<typeof assertion>;
            copy.setAttribute('ID', '_copy1');
            response(d).appendChild(copy);
          }),
        /2 Assertion elements/,
      );
    });

    /** An unsigned assertion claiming to be ATTACKER's victim, built from the signed one. */
    const forgedAssertion = (d: ReturnType<typeof response>['ownerDocument']) => {
      const forged = assertion(d!).cloneNode(true) as ReturnType<typeof assertion>;
      for (const s of Array.from(forged.getElementsByTagNameNS(NS.dsig, 'Signature'))) s.parentNode!.removeChild(s);
      forged.setAttribute('ID', '_forged1');
      const values = Array.from(forged.getElementsByTagNameNS(NS.assertion, 'Attribute')).find((a) => a.getAttribute('Name') === OID.eppn)!;
      setText(values.getElementsByTagNameNS(NS.assertion, 'AttributeValue')[0]!, eppn(ALICE));
      return forged;
    };

    it('a forged assertion placed before the signed one (XSW)', async () => {
      await expectRefused((xml) => edit(xml, (d) => response(d).insertBefore(forgedAssertion(d), assertion(d))), /2 Assertion elements/);
    });

    it('a forged assertion placed after the signed one (XSW)', async () => {
      await expectRefused((xml) => edit(xml, (d) => response(d).appendChild(forgedAssertion(d))), /2 Assertion elements/);
    });

    it('a forged assertion wrapping the signed one (XSW)', async () => {
      await expectRefused(
        (xml) =>
          edit(xml, (d) => {
            const signed = assertion(d);
            const forged = forgedAssertion(d);
            response(d).replaceChild(forged, signed);
            // The signed original hidden inside the forged one (in its Subject, as in XSW attacks).
            first(d, 'SubjectConfirmationData').appendChild(signed);
          }),
        /2 Assertion elements/,
      );
    });

    it('a forged assertion carrying the signed one in its signature Object (XSW)', async () => {
      await expectRefused(
        (xml) =>
          edit(xml, (d) => {
            const signed = assertion(d);
            const forged = forgedAssertion(d);
            const signature = signed.getElementsByTagNameNS(NS.dsig, 'Signature')[0]!.cloneNode(true);
            const object = d.createElementNS(NS.dsig, 'ds:Object');
            object.appendChild(signed.cloneNode(true));
            signature.appendChild(object);
            forged.insertBefore(signature, forged.getElementsByTagNameNS(NS.assertion, 'Subject')[0]!);
            response(d).replaceChild(forged, signed);
          }),
        /2 Assertion elements/,
      );
    });

    it('a forged response wrapping the signed one (XSW on the Response)', async () => {
      await expectRefused(
        (xml) =>
          edit(xml, (d) => {
            const original = response(d);
            const forged = original.cloneNode(false) as typeof original;
            forged.setAttribute('ID', '_forged-response');
            for (const child of Array.from(original.childNodes)) {
              if ((child as typeof original).localName !== 'Signature') forged.appendChild(child.cloneNode(true));
            }
            const ext = d.createElementNS(NS.protocol, 'samlp:Extensions');
            ext.appendChild(original.cloneNode(true));
            forged.insertBefore(ext, forged.getElementsByTagNameNS(NS.protocol, 'Status')[0]!);
            d.replaceChild(forged, original);
          }),
        /Assertion elements|nested Response/,
      );
    });

    it('a duplicate of the signed assertion ID on a forged element (XSW by ID)', async () => {
      await expectRefused(
        (xml) =>
          edit(xml, (d) => {
            const signed = assertion(d);
            const forged = forgedAssertion(d);
            forged.setAttribute('ID', signed.getAttribute('ID')!);
            const ext = d.createElementNS(NS.protocol, 'samlp:Extensions');
            ext.appendChild(signed);
            response(d).insertBefore(ext, response(d).getElementsByTagNameNS(NS.protocol, 'Status')[0]!);
            response(d).appendChild(forged);
          }),
        /Assertion elements/,
      );
    });

    it('a DOCTYPE with an external entity (XXE)', async () => {
      await expectRefused(
        (xml) => `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${xml.replace(/^<\?xml[^>]*>\s*/, '')}`,
        /DOCTYPE/,
      );
    });

    it('an expired assertion (NotOnOrAfter 10 minutes ago)', async () => {
      const past = new Date(Date.now() - 10 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
      await expectRefused(
        (xml) =>
          resign(
            edit(xml, (d) => {
              first(d, 'Conditions').setAttribute('NotOnOrAfter', past);
              first(d, 'SubjectConfirmationData').setAttribute('NotOnOrAfter', past);
            }),
            idpKeys,
          ),
        /SUBJECT_UNCONFIRMED|expired/,
      );
    });

    it('an assertion not valid yet (NotBefore 5 minutes ahead)', async () => {
      const future = new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
      await expectRefused(
        (xml) =>
          resign(
            edit(xml, (d) => first(d, 'Conditions').setAttribute('NotBefore', future)),
            idpKeys,
          ),
        /SUBJECT_UNCONFIRMED|not yet valid/,
      );
    });

    it('a response to a request we never sent (unknown InResponseTo)', async () => {
      const answering = (id: string) => (xml: string) =>
        resign(
          edit(xml, (d) => {
            response(d).setAttribute('InResponseTo', id);
            first(d, 'SubjectConfirmationData').setAttribute('InResponseTo', id);
          }),
          idpKeys,
        );
      // Not even shaped like our request IDs: refused by the ACS.
      await expectRefused(answering('_0000000000000000000000000000000000000000'), /InResponseTo .* is not a request of ours/);
      // Shaped like ours, but no pending request of this browser has that ID.
      await expectRefused(answering(`_${'0'.repeat(64)}`), /InResponseTo .* is not a pending request of this browser/, VICTIM, { atCompletion: true });
    });

    it('a second response to an answered request (reused InResponseTo)', async () => {
      const { samlResponse } = await signIn(REPLAYED);
      // A fresh login of the victim, answered with the earlier request's (re-signed, new assertion ID) response:
      // refused at the ACS, whatever pending requests the browser still shows.
      await expectRefused(
        () =>
          resign(
            edit(decode(samlResponse), (d) => assertion(d).setAttribute('ID', '_fresh-assertion-id')),
            idpKeys,
          ),
        /request .* was answered before/,
        REPLAYED,
        { accountExists: true },
      );
    });

    it('a response taken before its browser could use it, posted from another browser', async () => {
      const { form } = await signInAtIdp(VICTIM);
      const attacker = new HttpBrowser();
      await attacker.get(`${svc.url}/saml/login`); // a pending request of its own
      const linesBefore = logLines.length;
      const page = await postToAcs(attacker, form, form.fields.SAMLResponse!);
      expect(page.trail.at(-1)).toBe(`${svc.url}/login?error=saml.unbound`);
      expect(logLines.slice(linesBefore).find((l) => l.msg === 'SAML login completion refused')?.detail).toMatch(/not a pending request of this browser/);
      expect((await me(attacker)).status).toBe(401);
      expect(await svc.stores.store.accounts.findByIdentity(ssp.entityId, eppn(VICTIM))).toBeNull();
    });

    it('a response signed by a key that is not in the IdP metadata', async () => {
      await expectRefused((xml) => resign(xml, attackerKeys), /UNMATCH_CERTIFICATE|does not verify|FAILED_TO_VERIFY/);
    });

    it("a response signed by another key but presenting the IdP's certificate", async () => {
      const impostor = { key: attackerKeys.key, cert: idpKeys.cert };
      await expectRefused((xml) => resign(xml, impostor), /FAILED_TO_VERIFY|does not verify|signature/i);
    });

    it('a response whose assertion comes from another issuer', async () => {
      await expectRefused(
        (xml) =>
          resign(
            edit(xml, (d) => setText(assertion(d).getElementsByTagNameNS(NS.assertion, 'Issuer')[0]!, 'https://evil-idp.example/idp')),
            idpKeys,
          ),
        /ISSUER|Issuer/,
      );
    });

    it('an unsolicited response (no InResponseTo)', async () => {
      await expectRefused(
        (xml) =>
          resign(
            edit(xml, (d) => {
              response(d).removeAttribute('InResponseTo');
              first(d, 'SubjectConfirmationData').removeAttribute('InResponseTo');
            }),
            idpKeys,
          ),
        /InResponseTo/,
      );
    });

    it('a response signed by the IdP that breaks the SAML schema', async () => {
      await expectRefused(
        (xml) =>
          resign(
            edit(xml, (d) => assertion(d).setAttribute('IssueInstant', 'yesterday')),
            idpKeys,
          ),
        /^schema: .*IssueInstant/,
      );
    });

    it('something that is not a SAML response at all', async () => {
      await expectRefused(() => '<html><body>hello</body></html>', /root element/);
      await expectRefused(() => 'not xml at all <', /XML|base64|root/);
    });
  });
});
