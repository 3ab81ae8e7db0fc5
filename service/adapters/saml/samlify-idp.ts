import { createPrivateKey, randomBytes } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { ServiceProvider as SamlifySp } from 'samlify';
import type { Config } from '../../config.js';
import { DomainError } from '../../domain/errors.js';
import type { IncomingSamlMessage, SingleLogout, VerifiedLogoutRequest } from '../../domain/login.js';
import type { SamlSessionRef } from '../../domain/model.js';
import type { Clock, IdentityProvider, VerifiedAssertion } from '../../domain/ports.js';
import { CLOCK_SKEW_SECONDS, checkLoginResponse, identityFromFacts, STATUS_SUCCESS } from '../../domain/saml-checks.js';
import { parseIdpMetadata } from './metadata.js';
import { checkRedirectSignature, signedRedirectUrl } from './redirect-binding.js';
import { decodeSamlMessage, inspectResponse, responseFacts, verifyEnvelopedSignature } from './response.js';
import { prepareSamlSchemas, validateSamlSchema } from './schema.js';
import { attr, certBody, escapeXml, NS, onlyChild, parseStrictXml, text, XmlRejected } from './xml.js';

const BINDING = {
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
} as const;
const NAMEID = {
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
} as const;

export interface SamlIdentityProviderOptions {
  config: Pick<Config, 'saml'>;
  spKey: string;
  spCert: string;
  idpMetadataXml: string;
  clock: Clock;
}

export type SamlIdentityProvider = IdentityProvider & SingleLogout;

const invalid = (reason: string) => new DomainError('saml.invalid', {}, reason);

/** A reason for the log from whatever the XML layer threw. */
const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Our SP towards one IdP. A login response is read here and in response.ts (structure, SAML
 * schema, signatures tied to the elements we read) and judged in domain/saml-checks.ts
 * (status, issuer, audience, destination, recipient, bearer confirmation, time, skew). samlify
 * only writes our SP metadata; it never sees our private key: the messages we send are
 * HTTP-Redirect messages signed in redirect-binding.ts with node:crypto.
 */
export function createSamlIdentityProvider(options: SamlIdentityProviderOptions): SamlIdentityProvider {
  const { config, spKey, spCert, clock } = options;
  const saml = config.saml;
  const idpInfo = parseIdpMetadata(options.idpMetadataXml);
  const signingKey = createPrivateKey(spKey);

  const sp = SamlifySp({
    entityID: saml.entityId,
    authnRequestsSigned: true,
    wantAssertionsSigned: true,
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
    signingCert: certBody(spCert),
    assertionConsumerService: [{ Binding: BINDING.post, Location: saml.acsUrl }],
    singleLogoutService: [{ Binding: BINDING.redirect, Location: saml.sloUrl }],
    nameIDFormat: [NAMEID.persistent, NAMEID.transient],
  });
  prepareSamlSchemas();

  const newId = () => `_${randomBytes(20).toString('hex')}`;

  /** Verifies an HTTP-Redirect message's detached signature over the raw query string. */
  const verifyRedirectSignature = (message: IncomingSamlMessage): void => {
    const { SigAlg: sigAlg, Signature: signature } = message.params;
    switch (checkRedirectSignature({ octetString: message.octetString, sigAlg, signature }, idpInfo.signingCerts)) {
      case 'valid':
        return;
      case 'unsigned':
        throw invalid('logout message is not signed');
      case 'algorithm-refused':
        throw invalid(`logout signature algorithm ${sigAlg} not allowed`);
      case 'invalid':
        throw invalid("logout message signature does not verify with the IdP's metadata keys");
    }
  };

  /** Decodes, parses and authenticates a logout message of `type`; returns its root element. */
  const readLogoutMessage = (message: IncomingSamlMessage, type: 'LogoutRequest' | 'LogoutResponse') => {
    const param = type === 'LogoutRequest' ? message.params.SAMLRequest : message.params.SAMLResponse;
    if (!param) throw invalid(`no ${type}`);
    try {
      let xml: string;
      if (message.binding === 'redirect') {
        verifyRedirectSignature(message);
        xml = inflateRawSync(Buffer.from(param, 'base64'), { maxOutputLength: 256 * 1024 }).toString('utf8');
      } else {
        xml = decodeSamlMessage(param);
      }
      const doc = parseStrictXml(xml);
      const root = doc.documentElement!;
      if (root.namespaceURI !== NS.protocol || root.localName !== type) throw new XmlRejected(`expected ${type}, got ${root.localName}`);
      if (message.binding === 'post' && !verifyEnvelopedSignature(xml, doc, root, idpInfo.signingCerts)) {
        throw new XmlRejected(`${type} is not signed`);
      }
      const issuer = text(onlyChild(root, NS.assertion, 'Issuer'));
      if (issuer !== idpInfo.entityId) throw new XmlRejected(`${type} Issuer ${issuer ?? '(none)'} is not the IdP`);
      const destination = attr(root, 'Destination');
      if (destination !== null && destination !== saml.sloUrl) throw new XmlRejected(`${type} Destination ${destination} is not our SLO URL`);
      const id = attr(root, 'ID');
      if (!id) throw new XmlRejected(`${type} has no ID`);
      return { root, id };
    } catch (e) {
      if (e instanceof DomainError) throw e;
      throw invalid(reasonOf(e));
    }
  };

  return {
    entityId: idpInfo.entityId,

    metadata: () => sp.getMetadata(),

    async createLoginRequest({ requestId: id, forceAuthn, relayState }) {
      const xml =
        `<samlp:AuthnRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${id}" Version="2.0"` +
        ` IssueInstant="${clock.now().toISOString()}" Destination="${escapeXml(idpInfo.ssoRedirectUrl)}"` +
        (forceAuthn ? ' ForceAuthn="true"' : '') +
        ` ProtocolBinding="${BINDING.post}" AssertionConsumerServiceURL="${escapeXml(saml.acsUrl)}">` +
        `<saml:Issuer>${escapeXml(saml.entityId)}</saml:Issuer><samlp:NameIDPolicy AllowCreate="true"/></samlp:AuthnRequest>`;
      return { url: signedRedirectUrl({ location: idpInfo.ssoRedirectUrl, param: 'SAMLRequest', xml, relayState }, signingKey) };
    },

    async verifyLoginResponse(samlResponse: string): Promise<VerifiedAssertion> {
      // Strict structure first (DOCTYPE, exactly one plain assertion, signature placement), then
      // the schema, then each signature checked once, with the IdP's metadata keys only.
      let facts;
      try {
        const xml = decodeSamlMessage(samlResponse);
        const structure = inspectResponse(xml);
        validateSamlSchema(xml);
        const signed = {
          response: verifyEnvelopedSignature(xml, structure.doc, structure.response, idpInfo.signingCerts),
          assertion: verifyEnvelopedSignature(xml, structure.doc, structure.assertion, idpInfo.signingCerts),
        };
        facts = responseFacts(structure, signed);
      } catch (e) {
        throw invalid(reasonOf(e));
      }
      const checked = checkLoginResponse(facts, {
        idpEntityId: idpInfo.entityId,
        spEntityId: saml.entityId,
        acsUrl: saml.acsUrl,
        now: clock.now(),
        requireSignedResponse: saml.wantSignedResponse,
      });
      const identity = identityFromFacts(facts, saml.attributes, idpInfo.entityId);
      return { identity, assertionId: checked.assertionId, inResponseTo: checked.inResponseTo, notOnOrAfter: checked.replayUntil };
    },

    async createLogoutRequest(ref: SamlSessionRef) {
      if (!idpInfo.sloRedirectUrl) return null;
      const id = newId();
      const xml =
        `<samlp:LogoutRequest xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${id}" Version="2.0"` +
        ` IssueInstant="${clock.now().toISOString()}" Destination="${escapeXml(idpInfo.sloRedirectUrl)}">` +
        `<saml:Issuer>${escapeXml(saml.entityId)}</saml:Issuer>` +
        `<saml:NameID${ref.nameIdFormat ? ` Format="${escapeXml(ref.nameIdFormat)}"` : ''}>${escapeXml(ref.nameId)}</saml:NameID>` +
        (ref.sessionIndex ? `<samlp:SessionIndex>${escapeXml(ref.sessionIndex)}</samlp:SessionIndex>` : '') +
        `</samlp:LogoutRequest>`;
      return signedRedirectUrl({ location: idpInfo.sloRedirectUrl, param: 'SAMLRequest', xml }, signingKey);
    },

    async verifyLogoutRequest(message): Promise<VerifiedLogoutRequest> {
      const { root, id } = readLogoutMessage(message, 'LogoutRequest');
      const notOnOrAfter = attr(root, 'NotOnOrAfter');
      if (notOnOrAfter !== null && clock.now().getTime() >= Date.parse(notOnOrAfter) + CLOCK_SKEW_SECONDS * 1000) {
        throw invalid(`LogoutRequest expired (NotOnOrAfter ${notOnOrAfter})`);
      }
      let nameId: string | null;
      let sessionIndexes: string[];
      try {
        nameId = text(onlyChild(root, NS.assertion, 'NameID'));
        sessionIndexes = Array.from(root.getElementsByTagNameNS(NS.protocol, 'SessionIndex'))
          .map((e) => text(e))
          .filter((v): v is string => !!v);
      } catch (e) {
        throw invalid(reasonOf(e));
      }
      if (!nameId) throw invalid('LogoutRequest has no NameID (encrypted IDs are not supported)');
      return { requestId: id, nameId, sessionIndexes };
    },

    async createLogoutResponse(inResponseTo: string, relayState: string | null) {
      const location = idpInfo.sloRedirectResponseUrl;
      if (!location) return null;
      const id = newId();
      const xml =
        `<samlp:LogoutResponse xmlns:samlp="${NS.protocol}" xmlns:saml="${NS.assertion}" ID="${id}" Version="2.0"` +
        ` IssueInstant="${clock.now().toISOString()}" Destination="${escapeXml(location)}" InResponseTo="${escapeXml(inResponseTo)}">` +
        `<saml:Issuer>${escapeXml(saml.entityId)}</saml:Issuer>` +
        `<samlp:Status><samlp:StatusCode Value="${STATUS_SUCCESS}"/></samlp:Status></samlp:LogoutResponse>`;
      return signedRedirectUrl({ location, param: 'SAMLResponse', xml, relayState }, signingKey);
    },

    async verifyLogoutResponse(message) {
      const { root } = readLogoutMessage(message, 'LogoutResponse');
      const status = onlyChild(root, NS.protocol, 'Status');
      return attr(status ? onlyChild(status, NS.protocol, 'StatusCode') : null, 'Value') === STATUS_SUCCESS;
    },
  };
}
