import { DOMParser, type Document, type Element } from '@xmldom/xmldom';

/** XML namespaces of SAML 2.0 and XML-DSig. */
export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** Thrown for any XML we refuse to read; `message` is for the log. */
export class XmlRejected extends Error {
  override name = 'XmlRejected';
}

/**
 * Parses untrusted XML strictly: any DOCTYPE or ENTITY declaration is refused before parsing
 * (XXE, entity expansion), and any parser warning or error is fatal.
 */
export function parseStrictXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml) || /<!ENTITY/i.test(xml)) throw new XmlRejected('DOCTYPE or ENTITY declaration present');
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        throw new XmlRejected(`XML ${level}: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (e) {
    throw e instanceof XmlRejected ? e : new XmlRejected(`not well-formed XML: ${(e as Error).message}`);
  }
  if (doc.doctype) throw new XmlRejected('DOCTYPE present');
  if (!doc.documentElement) throw new XmlRejected('no document element');
  return doc;
}

/** Element children of `parent`, optionally only those with namespace `ns` and local name `name`. */
export function childElements(parent: Element, ns?: string, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const e = n as Element;
    if (ns !== undefined && e.namespaceURI !== ns) continue;
    if (name !== undefined && e.localName !== name) continue;
    out.push(e);
  }
  return out;
}

/** The only child `ns:name` of `parent`, null when there is none; throws when there are several. */
export function onlyChild(parent: Element, ns: string, name: string): Element | null {
  const found = childElements(parent, ns, name);
  if (found.length > 1) throw new XmlRejected(`more than one ${name} in ${parent.localName}`);
  return found[0] ?? null;
}

/** Every element in the document (document order). */
export function allElements(doc: Document): Element[] {
  const out: Element[] = [];
  const walk = (e: Element) => {
    out.push(e);
    for (const c of childElements(e)) walk(c);
  };
  walk(doc.documentElement!);
  return out;
}

export function attr(e: Element | null, name: string): string | null {
  if (!e || !e.hasAttribute(name)) return null;
  return e.getAttribute(name);
}

/** Text content, trimmed; null for a missing element. */
export function text(e: Element | null): string | null {
  if (!e) return null;
  return (e.textContent ?? '').trim();
}

export const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** PEM body of a certificate as it appears in XML (no header, no whitespace). */
export const certBody = (pemOrBase64: string): string => pemOrBase64.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

export const certPem = (base64: string): string =>
  `-----BEGIN CERTIFICATE-----\n${certBody(base64)
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END CERTIFICATE-----\n`;
