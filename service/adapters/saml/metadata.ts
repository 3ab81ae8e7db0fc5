import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Element } from '@xmldom/xmldom';
import { attr, certBody, certPem, childElements, NS, parseStrictXml, text } from './xml.js';

const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

/** What we use from an IdP's metadata. */
export interface IdpDescriptor {
  entityId: string;
  /** Certificates (base64 DER, no PEM armour) whose keys may sign the IdP's messages. */
  signingCerts: string[];
  /** SingleSignOnService, HTTP-Redirect binding. */
  ssoRedirectUrl: string;
  /** SingleLogoutService, HTTP-Redirect binding (Location), if the IdP offers single logout. */
  sloRedirectUrl: string | null;
  /** Where logout responses go (ResponseLocation, else Location). */
  sloRedirectResponseUrl: string | null;
}

/**
 * Reads the IdP metadata XML from a file path or an http(s) URL (SAML_IDP_METADATA) and checks
 * that it describes exactly one IdP we can talk to. Errors name the source.
 */
export async function loadIdpMetadata(source: string, options: { timeoutMs?: number } = {}): Promise<string> {
  let xml: string;
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, {
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
      });
    } catch (e) {
      const reason = (e as Error).name === 'TimeoutError' ? `no answer within ${(options.timeoutMs ?? 10_000) / 1000} s` : describe(e);
      throw new Error(`Cannot load the IdP metadata from ${source} (SAML_IDP_METADATA): ${reason}`, { cause: e });
    }
    if (!response.ok) throw new Error(`Cannot load the IdP metadata from ${source} (SAML_IDP_METADATA): HTTP ${response.status}`);
    xml = await response.text();
  } else {
    try {
      xml = await readFile(source, 'utf8');
    } catch (e) {
      throw new Error(`Cannot read the IdP metadata file ${source} (SAML_IDP_METADATA): ${(e as Error).message}`, { cause: e });
    }
  }
  try {
    parseIdpMetadata(xml);
  } catch (e) {
    throw new Error(`The IdP metadata from ${source} (SAML_IDP_METADATA) is not usable: ${(e as Error).message}`, { cause: e });
  }
  return xml;
}

/**
 * Reads an EntityDescriptor (or an EntitiesDescriptor holding exactly one IdP) and returns
 * the IdP's entity ID, signing certificates and endpoints. Throws with a readable reason.
 */
export function parseIdpMetadata(xml: string): IdpDescriptor {
  const doc = parseStrictXml(xml);
  const root = doc.documentElement!;
  const entities = root.namespaceURI === NS.metadata && root.localName === 'EntitiesDescriptor' ? descendants(root, 'EntityDescriptor') : [root];
  const idps = entities.filter((e) => e.namespaceURI === NS.metadata && e.localName === 'EntityDescriptor' && idpDescriptors(e).length > 0);
  if (idps.length === 0) throw new Error('no EntityDescriptor with an IDPSSODescriptor for SAML 2.0');
  if (idps.length > 1) throw new Error(`${idps.length} IdPs described; give the metadata of exactly one IdP`);
  const entity = idps[0]!;
  const entityId = attr(entity, 'entityID');
  if (!entityId) throw new Error('EntityDescriptor has no entityID');
  const descriptor = idpDescriptors(entity)[0]!;

  const signingCerts: string[] = [];
  for (const kd of childElements(descriptor, NS.metadata, 'KeyDescriptor')) {
    const use = attr(kd, 'use');
    if (use !== null && use !== 'signing') continue;
    for (const c of descendants(kd, 'X509Certificate')) {
      const body = certBody(text(c) ?? '');
      try {
        new X509Certificate(certPem(body));
      } catch {
        throw new Error('a signing X509Certificate cannot be read');
      }
      if (!signingCerts.includes(body)) signingCerts.push(body);
    }
  }
  if (signingCerts.length === 0) throw new Error('no signing certificate (KeyDescriptor use="signing" or without use)');

  const sso = childElements(descriptor, NS.metadata, 'SingleSignOnService').find((e) => attr(e, 'Binding') === REDIRECT);
  const ssoRedirectUrl = attr(sso ?? null, 'Location');
  if (!ssoRedirectUrl) throw new Error('no SingleSignOnService with the HTTP-Redirect binding');
  const slo = childElements(descriptor, NS.metadata, 'SingleLogoutService').find((e) => attr(e, 'Binding') === REDIRECT) ?? null;
  const sloRedirectUrl = attr(slo, 'Location');
  return {
    entityId,
    signingCerts,
    ssoRedirectUrl,
    sloRedirectUrl,
    sloRedirectResponseUrl: attr(slo, 'ResponseLocation') ?? sloRedirectUrl,
  };
}

function idpDescriptors(entity: Element): Element[] {
  return childElements(entity, NS.metadata, 'IDPSSODescriptor').filter((d) => (attr(d, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS.protocol));
}

function descendants(e: Element, localName: string): Element[] {
  const out: Element[] = [];
  for (const c of childElements(e)) {
    if (c.localName === localName) out.push(c);
    out.push(...descendants(c, localName));
  }
  return out;
}

function describe(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message;
}
