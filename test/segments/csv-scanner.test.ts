import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvScanner, type CsvRecord } from '../../src/segments/csv-scanner.js';

interface Seen {
  readonly line: number;
  readonly fields: string[];
  readonly malformed: boolean;
}

/** Scans `text` cut into chunks at `cuts` (byte offsets). */
function scan(text: string | Buffer, cuts: readonly number[] = []): Seen[] {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const seen: Seen[] = [];
  const onRecord = (r: CsvRecord): void => {
    seen.push({
      line: r.line,
      fields: Array.from({ length: r.count }, (_, k) => r.text(k)),
      malformed: r.malformed,
    });
  };
  const scanner = new CsvScanner();
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= from || cut >= bytes.length) continue;
    scanner.push(bytes.subarray(from, cut), onRecord);
    from = cut;
  }
  scanner.push(bytes.subarray(from), onRecord);
  scanner.end(onRecord);
  return seen;
}

const quote = (field: string): string =>
  /[",\r\n]/.test(field) || field === '' ? `"${field.replaceAll('"', '""')}"` : field;

describe('CsvScanner', () => {
  it('gives back any records written in RFC 4180, however the bytes are cut into chunks', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'é', '"', ',', '\n', '\r', '1', ' ') });
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(400)),
        (records, eol, trailing, cuts) => {
          const text = records.map((r) => r.map(quote).join(',')).join(eol) + (trailing ? eol : '');
          expect(scan(text, cuts).map((r) => r.fields)).toEqual(records);
        },
      ),
    );
  });

  it('skips a BOM and blank lines and numbers each record by the line it starts on', () => {
    const text = '\ufeffa,b\n\n"x\ny",2\r\n\r\nlast,3';
    const blankCr = Buffer.from(text).indexOf('\r\n\r\n') + 3;
    expect(scan(text, [1, 2, 7, 12, blankCr])).toEqual([
      { line: 1, fields: ['a', 'b'], malformed: false },
      { line: 3, fields: ['x\ny', '2'], malformed: false },
      { line: 6, fields: ['last', '3'], malformed: false },
    ]);
  });

  it('reads records of many fields', () => {
    const fields = Array.from({ length: 40 }, (_, k) => `f${k}`);
    expect(scan(`${fields.join(',')}\n`)[0]!.fields).toEqual(fields);
  });

  it('flags text after a closing quote and a quote left open at the end', () => {
    expect(scan('"ab"c,d\n"open,e')).toEqual([
      { line: 1, fields: ['ab', 'd'], malformed: true },
      { line: 2, fields: ['open,e'], malformed: true },
    ]);
  });

  it('reads numbers from bytes as Number() reads their text', () => {
    const texts = [
      '12',
      '-3.25',
      '0.1',
      '007',
      '1e3',
      ' 4 ',
      '',
      'x',
      '1.2.3',
      '12345678901234567',
    ];
    const numbers: number[] = [];
    const digits: boolean[] = [];
    new CsvScanner().end(() => undefined);
    const scanner = new CsvScanner();
    scanner.push(Buffer.from(texts.join(',')), () => undefined);
    scanner.end((r) => {
      for (let k = 0; k < r.count; k++) {
        numbers.push(r.number(k));
        digits.push(r.digits(k));
      }
    });
    expect(numbers).toEqual([
      12,
      -3.25,
      0.1,
      7,
      1000,
      4,
      NaN,
      NaN,
      NaN,
      Number('12345678901234567'),
    ]);
    expect(digits).toEqual([true, false, false, true, false, false, false, false, false, true]);
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        let read = Number.NaN;
        const one = new CsvScanner();
        one.push(Buffer.from(String(value)), () => undefined);
        one.end((r) => (read = r.number(0)));
        expect(read).toBe(Number(String(value)));
      }),
    );
  });
});
