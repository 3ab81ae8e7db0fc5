import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../service/domain/registry/csv.js';

const fieldsOf = (text: string) => parseCsv(text).records.map((r) => r.fields);

describe('the registry CSV reader', () => {
  it('splits plain records on commas and line ends', () => {
    expect(fieldsOf('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('reads CRLF, LF and CR line ends alike, with or without a final line end', () => {
    expect(fieldsOf('a,b\r\n1,2\r\n')).toEqual(fieldsOf('a,b\n1,2'));
    expect(fieldsOf('a,b\r1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('ignores a UTF-8 byte order mark at the start', () => {
    expect(fieldsOf('\uFEFFstudent_id,name\n1,x\n')[0]).toEqual(['student_id', 'name']);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const { records, errors } = parseCsv('id,title\n1,"Reading, Writing"\n2,"He said ""hi"""\n3,"two\r\nlines"\n4,x\n');
    expect(errors).toEqual([]);
    expect(records.slice(1).map((r) => r.fields[1])).toEqual(['Reading, Writing', 'He said "hi"', 'two\r\nlines', 'x']);
  });

  it('numbers each record by the line where it starts, counting line breaks inside quotes', () => {
    const { records } = parseCsv('h\n"a\nb"\nc\n\nd\n');
    expect(records.map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'h'],
      [2, 'a\nb'],
      [4, 'c'],
      [6, 'd'],
    ]);
  });

  it('drops blank lines and rows of empty fields, keeping empty fields inside a row', () => {
    expect(fieldsOf('a,b,c\n\n,,\n1,,3\n\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '', '3'],
    ]);
  });

  it('reports a quote inside an unquoted field with its line', () => {
    expect(parseCsv('a,b\n1,2\n3,4"5\n').errors).toEqual([{ line: 3, code: 'csv.strayQuote' }]);
  });

  it('reports text after a closing quote with its line', () => {
    expect(parseCsv('a,b\n"1"x,2\n').errors).toEqual([{ line: 2, code: 'csv.strayQuote' }]);
  });

  it('reports a quote that is never closed at the line where it opened', () => {
    expect(parseCsv('a,b\n1,2\n3,"open\n4,5\n').errors).toEqual([{ line: 3, code: 'csv.unterminatedQuote' }]);
  });

  it('reports text that was not UTF-8 (decoded to replacement characters) with its line', () => {
    expect(parseCsv('a,b\n1,\uFFFD\uFFFD\n').errors).toEqual([{ line: 2, code: 'csv.encoding' }]);
  });

  it('reads an empty text as no records', () => {
    expect(parseCsv('')).toEqual({ records: [], errors: [] });
  });
});
