/**
 * @module
 * A streaming CSV scanner (RFC 4180: comma-separated, `"` quoting with `""` escapes, fields
 * spanning lines, LF or CRLF endings, an optional UTF-8 BOM) that hands out each record's
 * fields as byte ranges of the chunk it arrived in, so callers parse numbers straight from
 * bytes and decode only the strings they keep. Memory is bounded by the chunk size plus the
 * longest record. Blank lines are skipped; every record knows the line it starts on.
 */

const COMMA = 0x2c;
const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
/** 10^k for k ≤ 15: a decimal of at most 15 digits is exactly `digits / 10^k`. */
const POWERS = Array.from({ length: 16 }, (_, k) => 10 ** k);

/** How a field was written. */
const PLAIN = 0;
const QUOTED = 1;
/** Quoted, with `""` inside that must be unescaped. */
const ESCAPED = 2;

/** One record: field `k` is `bytes[starts[k]..ends[k])`. Valid only inside the callback. */
export class CsvRecord {
  /** The chunk the record lies in. */
  bytes: Buffer = Buffer.alloc(0);
  /** The 1-based line the record starts on. */
  line = 0;
  /** Number of fields. */
  count = 0;
  /** A closing quote followed by something other than a comma or the line's end, or none. */
  malformed = false;
  starts = new Int32Array(16);
  ends = new Int32Array(16);
  kinds = new Uint8Array(16);

  /** Makes room for field `k`. */
  reserve(k: number): void {
    if (k < this.starts.length) return;
    const grow = <T extends Int32Array | Uint8Array>(from: T, to: T): T => (to.set(from), to);
    this.starts = grow(this.starts, new Int32Array(k * 2));
    this.ends = grow(this.ends, new Int32Array(k * 2));
    this.kinds = grow(this.kinds, new Uint8Array(k * 2));
  }

  /** True when field `k` is empty (`,,` or `""`). */
  empty(k: number): boolean {
    return this.ends[k]! === this.starts[k]!;
  }

  /** Field `k` as a string. */
  text(k: number): string {
    const text = this.bytes.toString('utf8', this.starts[k], this.ends[k]);
    return this.kinds[k] === ESCAPED ? text.replaceAll('""', '"') : text;
  }

  /** True when field `k` holds exactly the first `length` bytes of `other`. */
  same(k: number, other: Uint8Array, length: number): boolean {
    const start = this.starts[k]!;
    if (this.ends[k]! - start !== length) return false;
    const bytes = this.bytes;
    for (let j = 0; j < length; j++) if (bytes[start + j] !== other[j]) return false;
    return true;
  }

  /**
   * Field `k` as a number, read from its bytes when it is a plain decimal (`-12.50`), else as
   * `Number()` reads its text; `NaN` when it is not a number.
   */
  number(k: number): number {
    const bytes = this.bytes;
    let i = this.starts[k]!;
    const end = this.ends[k]!;
    const negative = i < end && bytes[i] === MINUS;
    if (negative) i++;
    let digits = 0;
    let value = 0;
    let scale = -1;
    for (; i < end; i++) {
      const c = bytes[i]!;
      if (c >= ZERO && c <= NINE) {
        value = value * 10 + (c - ZERO);
        digits++;
      } else if (c === DOT && scale < 0) scale = i;
      else break;
    }
    if (i === end && digits > 0 && digits <= 15) {
      const fraction = scale < 0 ? 0 : end - scale - 1;
      // Both operands are exact, so the one rounding of the division gives Number()'s answer.
      const result = fraction === 0 ? value : value / POWERS[fraction]!;
      return negative ? -result : result;
    }
    const text = this.text(k).trim();
    return text === '' ? Number.NaN : Number(text);
  }

  /** True when field `k` consists of ASCII digits only (and is not empty). */
  digits(k: number): boolean {
    const bytes = this.bytes;
    const end = this.ends[k]!;
    let i = this.starts[k]!;
    if (i === end) return false;
    for (; i < end; i++) if (bytes[i]! < ZERO || bytes[i]! > NINE) return false;
    return true;
  }
}

/**
 * Splits a byte stream into CSV records. Feed chunks with `push`, then call `end`.
 * @example
 * const scanner = new CsvScanner();
 * for await (const chunk of stream) scanner.push(chunk, (r) => console.log(r.line, r.text(0)));
 * scanner.end((r) => console.log(r.line, r.text(0)));
 */
export class CsvScanner {
  readonly #record = new CsvRecord();
  #rest: Buffer | undefined;
  #line = 1;
  #started = false;

  /** Scans `chunk`; an incomplete last record waits for the next chunk. */
  push(chunk: Buffer, onRecord: (record: CsvRecord) => void): void {
    if (!this.#started) {
      // Hold the first bytes until a BOM can be told apart.
      const start = this.#rest === undefined ? chunk : Buffer.concat([this.#rest, chunk]);
      this.#rest = undefined;
      if (start.length < 3) {
        this.#rest = start;
        return;
      }
      this.#started = true;
      chunk =
        start[0] === 0xef && start[1] === 0xbb && start[2] === 0xbf ? start.subarray(3) : start;
    }
    let bytes = chunk;
    const rest = this.#rest;
    if (rest !== undefined) {
      // Finish the record cut by the chunk boundary on a small buffer of its own, rather than
      // copying the whole chunk behind it.
      const lineEnd = chunk.indexOf(LF);
      if (lineEnd < 0) bytes = Buffer.concat([rest, chunk]);
      else {
        const head = Buffer.concat([rest, chunk.subarray(0, lineEnd + 1)]);
        const used = this.#scan(head, false, onRecord);
        const tail = chunk.subarray(lineEnd + 1);
        bytes = used === head.length ? tail : Buffer.concat([head.subarray(used), tail]);
      }
    }
    const used = this.#scan(bytes, false, onRecord);
    this.#rest = used === bytes.length ? undefined : bytes.subarray(used);
  }

  /** Scans what is left: the last record may lack its line end. */
  end(onRecord: (record: CsvRecord) => void): void {
    const rest = this.#rest;
    this.#rest = undefined;
    if (rest !== undefined) this.#scan(rest, true, onRecord);
  }

  /** Emits every complete record of `bytes`; returns the bytes used. */
  #scan(bytes: Buffer, final: boolean, onRecord: (record: CsvRecord) => void): number {
    const record = this.#record;
    record.bytes = bytes;
    const n = bytes.length;
    let pos = 0;
    records: while (pos < n) {
      let i = pos;
      let line = this.#line;
      const first = bytes[i]!;
      if (first === LF || first === CR) {
        // A blank line.
        if (first === CR && i + 1 === n && !final) break;
        i += first === CR && bytes[i + 1] === LF ? 2 : 1;
        this.#line++;
        pos = i;
        continue;
      }
      let count = 0;
      record.malformed = false;
      for (;;) {
        record.reserve(count);
        if (i < n && bytes[i] === QUOTE) {
          const start = ++i;
          let kind = QUOTED;
          for (;;) {
            if (i >= n) {
              if (!final) break records;
              // The file ends inside a quoted field.
              record.malformed = true;
              break;
            }
            const c = bytes[i]!;
            if (c === QUOTE) {
              if (i + 1 >= n && !final) break records;
              if (bytes[i + 1] !== QUOTE) break;
              kind = ESCAPED;
              i += 2;
              continue;
            }
            if (c === LF) line++;
            i++;
          }
          record.starts[count] = start;
          record.ends[count] = i;
          record.kinds[count] = kind;
          i++;
          if (i < n && bytes[i] !== COMMA && bytes[i] !== LF && bytes[i] !== CR) {
            record.malformed = true;
            while (i < n && bytes[i] !== COMMA && bytes[i] !== LF && bytes[i] !== CR) i++;
          }
        } else {
          const start = i;
          while (i < n) {
            const c = bytes[i]!;
            if (c === COMMA || c === LF || c === CR) break;
            i++;
          }
          record.starts[count] = start;
          record.ends[count] = i;
          record.kinds[count] = PLAIN;
        }
        count++;
        if (i >= n) {
          if (!final) break records;
          break;
        }
        const c = bytes[i]!;
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === CR) {
          if (i + 1 >= n && !final) break records;
          if (bytes[i + 1] === LF) i++;
        }
        i++;
        break;
      }
      record.count = count;
      record.line = this.#line;
      this.#line = line + 1;
      pos = Math.min(i, n);
      onRecord(record);
    }
    return pos;
  }
}
