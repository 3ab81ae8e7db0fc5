import { DOMParser, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import type { KeyPair } from '../../service/adapters/saml/keys.js';
import { signSamlXml } from '../../service/demo/demo-idp.js';

/**
 * Tools to forge SAML responses from a captured real one: decode, edit the DOM, strip and
 * re-create signatures with the IdP's key (or an attacker's).
 */

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
};

export const decode = (base64: string): string => Buffer.from(base64, 'base64').toString('utf8');
export const encode = (xml: string): string => Buffer.from(xml, 'utf8').toString('base64');

/** Parses `xml`, lets `change` edit the document, serializes it again (signatures untouched). */
export function edit(xml: string, change: (doc: Document) => void): string {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  change(doc);
  return new XMLSerializer().serializeToString(doc);
}

/** The first element `ns:localName` (assertion namespace by default). */
export function first(doc: Document, localName: string, ns: string = NS.assertion): Element {
  const e = doc.getElementsByTagNameNS(ns, localName)[0];
  if (!e) throw new Error(`no ${localName} in the response`);
  return e;
}

export const response = (doc: Document): Element => doc.documentElement!;
export const assertion = (doc: Document): Element => first(doc, 'Assertion');

/** Removes the enveloped signature of the Response, the Assertion, or both. */
export function unsign(xml: string, which: 'Response' | 'Assertion' | 'both' = 'both'): string {
  return edit(xml, (doc) => {
    const targets = which === 'both' ? [response(doc), assertion(doc)] : [which === 'Response' ? response(doc) : assertion(doc)];
    for (const t of targets) {
      for (const s of Array.from(t.childNodes)) {
        if ((s as Element).localName === 'Signature' && (s as Element).namespaceURI === NS.dsig) t.removeChild(s);
      }
    }
  });
}

/** Drops every signature and signs again with `keys`: the assertion, then the response, as asked. */
export function resign(xml: string, keys: KeyPair, which: { response?: boolean; assertion?: boolean } = { response: true, assertion: true }): string {
  let out = unsign(xml);
  if (which.assertion) out = signSamlXml(out, 'Assertion', keys);
  if (which.response) out = signSamlXml(out, 'Response', keys);
  return out;
}

/** Values of the attribute `name` inside the assertion. */
export function attributeValues(doc: Document, name: string): Element[] {
  const a = Array.from(doc.getElementsByTagNameNS(NS.assertion, 'Attribute')).find((e) => e.getAttribute('Name') === name);
  if (!a) throw new Error(`no attribute ${name}`);
  return Array.from(a.getElementsByTagNameNS(NS.assertion, 'AttributeValue'));
}

export const setText = (e: Element, value: string): void => {
  while (e.firstChild) e.removeChild(e.firstChild);
  e.appendChild(e.ownerDocument!.createTextNode(value));
};
