/** The certificate-type files on disk: the usual set shipped in resources/, or a staff export. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CertificateType } from '../../domain/certificates/model.js';
import { parseCertificateTypes } from '../../domain/certificates/types.js';
import { resourcesDir } from '../../paths.js';

/**
 * The usual Japanese set (在学 / 卒業見込 / 卒業 / 成績 / 学割) that administrators load in the
 * console to start from, and that demo mode starts with.
 */
export const CERTIFICATE_TYPES_TEMPLATE_FILE = path.join(resourcesDir, 'certificate-types-template.json');

/** Reads and validates a certificate-type file (default: the template). */
export async function loadCertificateTypes(file: string = CERTIFICATE_TYPES_TEMPLATE_FILE): Promise<CertificateType[]> {
  return parseCertificateTypes(JSON.parse(await readFile(file, 'utf8')));
}
