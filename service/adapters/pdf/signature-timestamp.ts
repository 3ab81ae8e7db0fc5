/**
 * PAdES baseline B-T for delivered documents: once the PDF is signed (in a render worker, as every
 * certificate is), the signature value is time-stamped and the token added to the CMS as an
 * unsigned attribute, rewritten in place in /Contents. The signed bytes do not change, so the
 * signature stays valid; printed certificates never come here and keep their smaller placeholder.
 */
import { createHash } from 'node:crypto';
import type { TimestampAuthority } from '../../domain/certificates/timestamps.js';
import type { SignatureSlot } from './certificate-template.js';
import { signatureValueOf, withSignatureTimestamp } from './cms.js';
import { readTlv } from './der.js';

/** Extra bytes reserved in /Contents for the token: a few KB with the authority's chain, with room to spare. */
export const TIMESTAMP_ROOM = 12 * 1024;

/** The slot of a document whose signature will be time-stamped: the same, with room for the token. */
export const timestampedSlot = (slot: SignatureSlot): SignatureSlot => ({ ...slot, contentsBytes: slot.contentsBytes + TIMESTAMP_ROOM });

/** Adds a signature time-stamp from `tsa` to the (single) signature of `pdf`, in place. */
export async function addSignatureTimestamp(pdf: Buffer, tsa: TimestampAuthority): Promise<Buffer> {
  const range = /\/ByteRange \[0 (\d+) (\d+) \d+ *\]/.exec(pdf.toString('latin1'));
  if (!range) throw new Error('The PDF has no filled signature (/ByteRange).');
  const open = Number(range[1]);
  const close = Number(range[2]) - 1;
  const hex = pdf.toString('latin1', open + 1, close);
  const padded = Buffer.from(hex, 'hex');
  const cms = padded.subarray(0, readTlv(padded).end);
  const token = Buffer.from(await tsa.timestamp(createHash('sha256').update(signatureValueOf(cms)).digest()));
  const stamped = withSignatureTimestamp(cms, token);
  const room = close - open - 1;
  if (stamped.length * 2 > room) throw new Error(`The time-stamped signature (${stamped.length} bytes) does not fit its placeholder (${room / 2} bytes).`);
  pdf.write(stamped.toString('hex').padEnd(room, '0'), open + 1, 'latin1');
  return pdf;
}
