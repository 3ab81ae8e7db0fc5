/**
 * A strict RFC 4180 CSV reader (no library: the format is small, and strictness — a stray quote
 * is an error, not a guess — is the point). Accepts UTF-8 text with or without a BOM and
 * CRLF, LF or CR line ends; quoted fields may hold commas, doubled quotes and line breaks.
 */

export interface CsvRecord {
  /** Physical line (1-based) where the record starts, as a spreadsheet shows it. */
  line: number;
  fields: string[];
}

export type CsvSyntaxErrorCode = 'csv.strayQuote' | 'csv.unterminatedQuote' | 'csv.encoding';

export interface CsvSyntaxError {
  line: number;
  code: CsvSyntaxErrorCode;
}

export interface CsvParseResult {
  records: CsvRecord[];
  errors: CsvSyntaxError[];
}

/**
 * Splits `text` into records. Records whose fields are all empty (blank lines, ",,,") are
 * dropped. Never throws: syntax problems come back as line-numbered errors.
 */
export function parseCsv(text: string): CsvParseResult {
  const errors: CsvSyntaxError[] = [];
  const records: CsvRecord[] = [];
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;

  // U+FFFD is what a UTF-8 decoder leaves for bytes that were not UTF-8 (e.g. Shift_JIS).
  const badEncoding = src.indexOf('\uFFFD');
  if (badEncoding >= 0) {
    errors.push({ line: lineAt(src, badEncoding), code: 'csv.encoding' });
    return { records, errors };
  }

  let line = 1;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let strayReported = false;
    // One record.
    for (;;) {
      let value = '';
      if (src[i] === '"') {
        // Quoted field: runs to the closing quote; "" is a quote; line breaks belong to the value.
        i++;
        let closed = false;
        while (i < n) {
          const c = src[i]!;
          if (c === '"') {
            if (src[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (c === '\r' || c === '\n') {
            line++;
            if (c === '\r' && src[i + 1] === '\n') {
              value += '\r';
              i++;
            }
          }
          value += src[i];
          i++;
        }
        if (!closed) {
          errors.push({ line: start, code: 'csv.unterminatedQuote' });
          return { records, errors };
        }
        // Anything but a separator or line end after the closing quote is malformed.
        if (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          if (!strayReported) errors.push({ line, code: 'csv.strayQuote' });
          strayReported = true;
          while (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') value += src[i++];
        }
      } else {
        while (i < n && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
          if (src[i] === '"' && !strayReported) {
            errors.push({ line, code: 'csv.strayQuote' });
            strayReported = true;
          }
          value += src[i++];
        }
      }
      fields.push(value);
      if (i < n && src[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // Record end: CRLF, LF, CR or the end of the text.
    if (src[i] === '\r') i++;
    if (src[i] === '\n') i++;
    line++;
    if (fields.some((f) => f.trim() !== '')) records.push({ line: start, fields });
  }
  return { records, errors };
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let k = 0; k < index; k++) {
    const c = text[k];
    if (c === '\n' || (c === '\r' && text[k + 1] !== '\n')) line++;
  }
  return line;
}
