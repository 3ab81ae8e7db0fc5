import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ParseOption, XmlBufferInputProvider, XmlDocument, xmlRegisterInputProvider, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import { resourcesDir } from '../../paths.js';
import { XmlRejected } from './xml.js';

/**
 * SAML 2.0 schema validation with libxml2 (WebAssembly), the schemas compiled once per process
 * and reused: a validation is then a parse and a walk, not a new worker, wasm instance and
 * schema read per message.
 */

const SCHEMA_FILES = ['saml-schema-protocol-2.0.xsd', 'saml-schema-assertion-2.0.xsd', 'xmldsig-core-schema.xsd', 'xenc-schema.xsd'];
// A name no real file has: libxml2 resolves the schemas' imports against it and our provider
// answers from memory, so nothing is read from the network or elsewhere on disk.
const VIRTUAL_DIR = '/shomei-saml-schemas/';
// No entity substitution, no DTD loading, no network, no external entities.
const PARSE = { option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE };

let validator: XsdValidator | null = null;

function compiled(): XsdValidator {
  if (validator) return validator;
  const dir = path.join(resourcesDir, 'saml-schemas');
  const files = Object.fromEntries(SCHEMA_FILES.map((f) => [VIRTUAL_DIR + f, readFileSync(path.join(dir, f))]));
  if (!xmlRegisterInputProvider(new XmlBufferInputProvider(files))) throw new Error('libxml2 refused the SAML schema input provider');
  const root = XmlDocument.fromBuffer(files[VIRTUAL_DIR + SCHEMA_FILES[0]]!, { ...PARSE, url: VIRTUAL_DIR + SCHEMA_FILES[0] });
  try {
    validator = XsdValidator.fromDoc(root);
  } finally {
    root.dispose();
  }
  return validator;
}

/** Compiles the schemas now (at start) rather than on the first login. */
export function prepareSamlSchemas(): void {
  compiled();
}

/**
 * Throws XmlRejected (reason "schema: …") unless `xml` is valid against the SAML 2.0 protocol
 * schema and the schemas it imports (assertion, XML-DSig, XML-Enc). The caller has already
 * refused any DOCTYPE.
 */
export function validateSamlSchema(xml: string): void {
  const schema = compiled();
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml, PARSE);
  } catch (e) {
    throw new XmlRejected(`schema: not well-formed XML: ${(e as Error).message.trim().slice(0, 200)}`);
  }
  try {
    schema.validate(doc);
  } catch (e) {
    if (e instanceof XmlValidateError) {
      throw new XmlRejected(
        `schema: ${e.details
          .map((d) => d.message.trim())
          .join('; ')
          .slice(0, 300)}`,
      );
    }
    throw e;
  } finally {
    doc.dispose();
  }
}
