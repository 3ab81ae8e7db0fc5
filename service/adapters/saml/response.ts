import type { Document, Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type { LoginResponseFacts } from '../../domain/saml-checks.js';
import { allElements, attr, certPem, childElements, NS, onlyChild, parseStrictXml, text, XmlRejected } from './xml.js';

/**
 * Reading a login response we do not trust yet: structure first (one Response, exactly one
 * plain Assertion, signatures only where SAML puts them), then our own signature check that
 * ties each signature to the very element we read, then the facts for domain/saml-checks.ts.
 */

const ALLOWED_TRANSFORMS = new Set(['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#']);
const ALLOWED_C14N = new Set(['http://www.w3.org/2001/10/xml-exc-c14n#']);
const ALLOWED_SIGNATURE = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
]);
const ALLOWED_DIGEST = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512',
]);

export interface ResponseStructure {
  doc: Document;
  response: Element;
  assertion: Element;
}

/** Decodes the POSTed base64 strictly (no characters outside the alphabet). */
export function decodeSamlMessage(base64: string): string {
  const compact = base64.replace(/[\r\n\t ]/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 !== 0) throw new XmlRejected('SAMLResponse is not base64');
  return Buffer.from(compact, 'base64').toString('utf8');
}

/**
 * Parses and checks the shape: no DOCTYPE, a protocol Response root, exactly one Assertion
 * (counted by local name in any namespace, so a look-alike cannot hide), no
 * EncryptedAssertion (we publish no encryption key and do not decrypt), and Signature
 * elements only as children of the Response or the Assertion, at most one each.
 */
export function inspectResponse(xml: string): ResponseStructure {
  const doc = parseStrictXml(xml);
  const response = doc.documentElement!;
  if (response.namespaceURI !== NS.protocol || response.localName !== 'Response') {
    throw new XmlRejected(`root element is ${response.localName}, not samlp:Response`);
  }
  const elements = allElements(doc);
  const named = (name: string) => elements.filter((e) => e.localName === name);
  if (named('EncryptedAssertion').length > 0) throw new XmlRejected('EncryptedAssertion is not supported (no decryption key is published)');
  if (named('Response').length !== 1) throw new XmlRejected('nested Response element');
  const assertions = named('Assertion');
  if (assertions.length !== 1) throw new XmlRejected(`${assertions.length} Assertion elements (exactly one required)`);
  const assertion = assertions[0]!;
  if (assertion.namespaceURI !== NS.assertion || assertion.parentNode !== response) {
    throw new XmlRejected('the Assertion is not a SAML assertion directly inside the Response');
  }
  const signatures = named('Signature');
  for (const s of signatures) {
    if (s.namespaceURI !== NS.dsig) throw new XmlRejected('Signature element in a foreign namespace');
    if (s.parentNode !== response && s.parentNode !== assertion) throw new XmlRejected(`Signature inside ${(s.parentNode as Element).localName}`);
  }
  for (const parent of [response, assertion]) {
    if (childElements(parent, NS.dsig, 'Signature').length > 1) throw new XmlRejected(`several signatures on ${parent.localName}`);
  }
  return { doc, response, assertion };
}

/**
 * Verifies the enveloped signature of `element` (if it has one) with the IdP's metadata
 * certificates only — never a key from KeyInfo. Returns false when unsigned; throws when
 * signed but invalid. The single Reference must name `element` by its ID and that ID must
 * be unique in the document, so the signed bytes are the element we go on to read
 * (signature wrapping).
 */
export function verifyEnvelopedSignature(xml: string, doc: Document, element: Element, certs: string[]): boolean {
  const signature = onlyChild(element, NS.dsig, 'Signature');
  if (!signature) return false;
  const what = element.localName;
  const id = attr(element, 'ID');
  if (!id) throw new XmlRejected(`signed ${what} has no ID`);
  const sameId = allElements(doc).filter((e) =>
    Array.from({ length: e.attributes.length }, (_, i) => e.attributes.item(i)!).some(
      (a) => ['ID', 'Id', 'id'].includes(a.localName ?? a.name) && a.value === id,
    ),
  );
  if (sameId.length !== 1) throw new XmlRejected(`ID ${id} appears on ${sameId.length} elements`);

  const signedInfo = onlyChild(signature, NS.dsig, 'SignedInfo');
  if (!signedInfo) throw new XmlRejected(`${what} signature has no SignedInfo`);
  const c14n = attr(onlyChild(signedInfo, NS.dsig, 'CanonicalizationMethod'), 'Algorithm');
  const sigAlg = attr(onlyChild(signedInfo, NS.dsig, 'SignatureMethod'), 'Algorithm');
  if (!c14n || !ALLOWED_C14N.has(c14n)) throw new XmlRejected(`${what} signature canonicalization ${c14n} not allowed`);
  if (!sigAlg || !ALLOWED_SIGNATURE.has(sigAlg)) throw new XmlRejected(`${what} signature algorithm ${sigAlg} not allowed`);
  const references = childElements(signedInfo, NS.dsig, 'Reference');
  if (references.length !== 1) throw new XmlRejected(`${what} signature has ${references.length} references (exactly one required)`);
  const reference = references[0]!;
  if (attr(reference, 'URI') !== `#${id}`) {
    throw new XmlRejected(`${what} signature references ${attr(reference, 'URI')} instead of #${id}`);
  }
  const transforms = childElements(onlyChild(reference, NS.dsig, 'Transforms') ?? reference, NS.dsig, 'Transform');
  for (const t of transforms) {
    const alg = attr(t, 'Algorithm');
    if (!alg || !ALLOWED_TRANSFORMS.has(alg)) throw new XmlRejected(`${what} signature transform ${alg} not allowed`);
  }
  const digest = attr(onlyChild(reference, NS.dsig, 'DigestMethod'), 'Algorithm');
  if (!digest || !ALLOWED_DIGEST.has(digest)) throw new XmlRejected(`${what} signature digest ${digest} not allowed`);

  const failures: string[] = [];
  for (const cert of certs) {
    // getCertFromKeyInfo: never let the message choose its own verification key.
    const verifier = new SignedXml({ publicCert: certPem(cert), getCertFromKeyInfo: () => null });
    // SAML's ID only: the uniqueness of the ID among ID, Id and id is checked above, and each
    // name xml-crypto looks up is one more XPath walk over the whole document.
    verifier.idAttributes = ['ID'];
    try {
      // As a string: xml-crypto parses with its own xmldom; exclusive c14n needs no context.
      verifier.loadSignature(signature.toString());
      if (!verifier.checkSignature(xml)) {
        failures.push('references do not validate');
        continue;
      }
    } catch (e) {
      failures.push((e as Error).message.slice(0, 120));
      continue;
    }
    // Belt and braces: what was verified is an element of that name and ID.
    const signed = verifier.getSignedReferences();
    if (signed.length !== 1) throw new XmlRejected(`${what} signature verified ${signed.length} references`);
    const signedRoot = parseStrictXml(signed[0]!).documentElement!;
    if (signedRoot.localName !== what || attr(signedRoot, 'ID') !== id) {
      throw new XmlRejected(`${what} signature covers ${signedRoot.localName} ${attr(signedRoot, 'ID')}`);
    }
    return true;
  }
  throw new XmlRejected(`${what} signature does not verify with the IdP's metadata keys (${[...new Set(failures)].join('; ')})`);
}

/** The facts domain/saml-checks.ts decides on, read from the checked structure. */
export function responseFacts(structure: ResponseStructure, signed: { response: boolean; assertion: boolean }): LoginResponseFacts {
  const { response, assertion } = structure;
  const a = (parent: Element | null, name: string) => (parent ? onlyChild(parent, NS.assertion, name) : null);
  const all = (parent: Element | null, name: string) => (parent ? childElements(parent, NS.assertion, name) : []);

  const status = onlyChild(response, NS.protocol, 'Status');
  const statusCode = status ? onlyChild(status, NS.protocol, 'StatusCode') : null;
  const subject = a(assertion, 'Subject');
  const nameId = a(subject, 'NameID');
  const conditions = a(assertion, 'Conditions');
  return {
    destination: attr(response, 'Destination'),
    inResponseTo: attr(response, 'InResponseTo'),
    responseIssuer: text(a(response, 'Issuer')),
    statusCode: attr(statusCode, 'Value'),
    responseSigned: signed.response,
    assertionSigned: signed.assertion,
    assertionCount: 1,
    assertionId: attr(assertion, 'ID'),
    assertionIssuer: text(a(assertion, 'Issuer')),
    nameId: text(nameId),
    nameIdFormat: attr(nameId, 'Format'),
    subjectConfirmations: all(subject, 'SubjectConfirmation').map((sc) => {
      const data = a(sc, 'SubjectConfirmationData');
      return {
        method: attr(sc, 'Method'),
        recipient: attr(data, 'Recipient'),
        notBefore: attr(data, 'NotBefore'),
        notOnOrAfter: attr(data, 'NotOnOrAfter'),
        inResponseTo: attr(data, 'InResponseTo'),
      };
    }),
    conditions: conditions
      ? {
          notBefore: attr(conditions, 'NotBefore'),
          notOnOrAfter: attr(conditions, 'NotOnOrAfter'),
          audienceRestrictions: all(conditions, 'AudienceRestriction').map((r) => all(r, 'Audience').map((e) => text(e) ?? '')),
        }
      : null,
    authnStatements: all(assertion, 'AuthnStatement').map((s) => ({
      sessionIndex: attr(s, 'SessionIndex'),
      sessionNotOnOrAfter: attr(s, 'SessionNotOnOrAfter'),
    })),
    attributes: all(assertion, 'AttributeStatement').flatMap((st) =>
      all(st, 'Attribute').map((at) => ({
        name: attr(at, 'Name') ?? '',
        values: all(at, 'AttributeValue').map((v) => v.textContent ?? ''),
      })),
    ),
  };
}
