/**
 * A small PDF serialiser: numbered objects written once, in order, then the cross-reference table.
 * Objects that are the same for many documents (a template's fonts and seal) are serialised once
 * as a `PdfFragment` and copied into each document as bytes, under the same object numbers.
 */
import { deflateSync } from 'node:zlib';

const HEADER = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');

/** Serialised objects numbered `first`…`first + offsets.length − 1`. */
export interface PdfFragment {
  first: number;
  bytes: Buffer;
  /** Each object's offset within `bytes`. */
  offsets: number[];
}

export class PdfWriter {
  private readonly chunks: Buffer[] = [HEADER];
  private length = HEADER.length;
  private readonly offsets: number[] = [];
  private next: number;

  /** Object numbers start at `first` (after a fragment's, when one is included). */
  constructor(private readonly first = 1) {
    this.next = first;
  }

  /** A number for an object written later (for forward references). */
  reserve(): number {
    return this.next++;
  }

  /** Writes object `num` (reserved earlier, or a new one when omitted); returns its number. */
  object(body: string, num = this.reserve()): number {
    this.start(num);
    this.push(Buffer.from(`${body}\nendobj\n`, 'latin1'));
    return num;
  }

  /** Writes a stream object: `dict` is the dictionary's inside, /Length is added. */
  stream(dict: string, data: Uint8Array, num = this.reserve()): number {
    this.start(num);
    this.push(Buffer.from(`<<${dict} /Length ${data.length}>>\nstream\n`, 'latin1'));
    this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    this.push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    return num;
  }

  /** A stream compressed with FlateDecode. */
  flateStream(dict: string, data: Uint8Array | string, num?: number): number {
    return this.stream(`${dict} /Filter /FlateDecode`, deflateSync(data), num);
  }

  /** Copies a fragment's objects (their numbers must be the ones this writer has not used yet). */
  include(fragment: PdfFragment): void {
    fragment.offsets.forEach((o, i) => (this.offsets[fragment.first + i] = this.length + o));
    this.push(fragment.bytes);
    this.next = Math.max(this.next, fragment.first + fragment.offsets.length);
  }

  /** The objects written so far (without the file header) as a fragment. */
  fragment(): PdfFragment {
    const bytes = Buffer.concat(this.chunks.slice(1));
    const offsets = this.offsets.slice(this.first).map((o) => o - HEADER.length);
    return { first: this.first, bytes, offsets };
  }

  /** The whole file: objects, cross-reference table and trailer. */
  finish(root: number, info: number): Buffer {
    const size = this.next;
    const xref = [`xref\n0 ${size}\n0000000000 65535 f \n`];
    for (let n = 1; n < size; n += 1) {
      const at = this.offsets[n];
      xref.push(at === undefined ? '0000000000 65535 f \n' : `${String(at).padStart(10, '0')} 00000 n \n`);
    }
    xref.push(`trailer\n<</Size ${size} /Root ${root} 0 R /Info ${info} 0 R>>\nstartxref\n${this.length}\n%%EOF\n`);
    this.push(Buffer.from(xref.join(''), 'latin1'));
    return Buffer.concat(this.chunks, this.length);
  }

  private start(num: number): void {
    this.offsets[num] = this.length;
    this.push(Buffer.from(`${num} 0 obj\n`, 'latin1'));
  }

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.length += b.length;
  }
}

/** A number as content streams and dictionaries write it: at most 3 decimals. */
export const num = (n: number): string => String(Math.round(n * 1000) / 1000);

/** A text string (document information): UTF-16BE with its byte-order mark, in hex. */
export function textString(s: string): string {
  let hex = '<FEFF';
  for (let i = 0; i < s.length; i += 1) hex += s.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `${hex}>`;
}

/** A PDF date (D:YYYYMMDDHHmmSSZ, UTC), as pdf-lib writes them. */
export function pdfDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `(D:${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z)`;
}
