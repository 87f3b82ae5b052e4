/**
 * A fast JSON / JSONL walker over Buffers, for scanning string values.
 *
 * `JsonWalker` tokenises one JSON value in `buf[start, end)` without building objects: it reports each
 * string (value or key) as the byte span of its raw content between the quotes, plus whether that span
 * holds a backslash escape. The current path (object keys as byte spans, array indices) is kept on a
 * small stack and only turned into strings when asked (`path()`, `pointer()`), so walking costs little
 * more than finding the quotes (`Buffer.indexOf`, i.e. memchr).
 *
 * `decodeJsonString` turns a raw string span into its UTF-8 bytes (escapes resolved: `\n`, `\"`,
 * `\u002f`, surrogate pairs) and, on request, an `OffsetMap` from decoded byte offsets back to raw
 * byte offsets. With a line index over the physical file, that gives the physical line and UTF-16
 * column of any byte of a decoded value, through any number of JSON-in-a-string levels.
 *
 * `jsonStringValues` is the convenient (slower) interface: every string value of a JSON or JSONL
 * buffer with its decoded bytes, pointer and offset map.
 */

export type PathSegment = string | number;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Bytes that may follow a number or literal. */
const DELIMITER = new Uint8Array(256);
for (const b of [0x20, 0x09, 0x0a, 0x0d, COMMA, CLOSE_OBJECT, CLOSE_ARRAY]) DELIMITER[b] = 1;
/** Bytes a number may be made of. */
const NUMBER_BYTE = new Uint8Array(256);
for (const b of Buffer.from("0123456789+-.eE")) NUMBER_BYTE[b] = 1;

const TYPE_KEY = [0x74, 0x79, 0x70, 0x65]; // "type"

/** Nesting deeper than this is treated as malformed (no input can exhaust the stack arrays). */
export const MAX_JSON_DEPTH = 4096;

export interface JsonVisitor {
  /**
   * A string value (not a key). `start`/`end` delimit its raw content (between the quotes); `escaped`
   * is true when the content holds a backslash. Return `true` to stop the walk.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a visitor usually returns nothing
  value?(start: number, end: number, escaped: boolean, walker: JsonWalker): boolean | void;
  /** An object key, same conventions (the key is already on the path). Return `true` to stop. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a visitor usually returns nothing
  key?(start: number, end: number, escaped: boolean, walker: JsonWalker): boolean | void;
  /** A number, `true`, `false` or `null` at `buf[start, end)`. */
  scalar?(start: number, end: number, walker: JsonWalker): void;
}

export type WalkResult =
  /** The value parsed; `end` is the offset just after it (trailing whitespace not consumed). */
  | { ok: true; end: number; stopped: boolean }
  /** Not valid JSON; `at` is where the walker gave up. */
  | { ok: false; at: number };

/**
 * Iterative JSON tokenizer with a path stack. One instance can walk many values in turn (JSONL lines);
 * it is not re-entrant (a visitor must not call `walk` on the same instance).
 */
export class JsonWalker {
  buf: Buffer;
  /** Container depth of the current position (0 = top level). */
  depth = 0;
  /** Per depth (1-based): 1 for an object, 2 for an array. */
  private kind = new Uint8Array(64);
  /** Per depth: array index, or the raw span of the current object key. */
  private index = new Int32Array(64);
  private keyStart = new Int32Array(64);
  private keyEnd = new Int32Array(64);
  private keyEscaped = new Uint8Array(64);
  /** Per depth: raw span of the object's `"type"` string value, when seen (-1 when not). */
  private typeStart = new Int32Array(64);
  private typeEnd = new Int32Array(64);
  /** Next backslash at or after some position already passed (amortises `indexOf` over the walk). */
  private nextBackslash = -1;
  private end = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
  }

  /** Walks the JSON value in `buf[start, end)`, calling the visitor for each string. */
  walk(start: number, end: number, visitor: JsonVisitor): WalkResult {
    this.depth = 0;
    this.end = end;
    this.nextBackslash = -1;
    const buf = this.buf;
    let pos = this.skipWs(start);
    // State: expecting a value at `pos`.
    for (;;) {
      if (pos >= end) return { ok: false, at: pos };
      const c = buf[pos] as number;
      if (c === QUOTE) {
        const close = this.stringEnd(pos + 1);
        if (close < 0) return { ok: false, at: pos };
        const escaped = this.lastEscaped;
        if (this.depth > 0 && this.kind[this.depth] === 1 && this.pendingType) {
          this.typeStart[this.depth] = pos + 1;
          this.typeEnd[this.depth] = close;
        }
        if (visitor.value?.(pos + 1, close, escaped, this) === true) return { ok: true, end: close + 1, stopped: true };
        pos = close + 1;
      } else if (c === OPEN_OBJECT) {
        if (!this.push(1)) return { ok: false, at: pos };
        pos = this.skipWs(pos + 1);
        if (buf[pos] === CLOSE_OBJECT) {
          this.depth--;
          pos++;
        } else {
          const next = this.readKey(pos, visitor);
          if (next < 0) return next === -2 ? { ok: true, end: pos, stopped: true } : { ok: false, at: pos };
          pos = next;
          continue;
        }
      } else if (c === OPEN_ARRAY) {
        if (!this.push(2)) return { ok: false, at: pos };
        pos = this.skipWs(pos + 1);
        if (buf[pos] === CLOSE_ARRAY) {
          this.depth--;
          pos++;
        } else {
          continue;
        }
      } else {
        const next = this.scalarEnd(pos);
        if (next < 0) return { ok: false, at: pos };
        visitor.scalar?.(pos, next, this);
        pos = next;
      }
      this.pendingType = false;
      // After a value: a comma, a closing bracket, or the end of the top-level value.
      for (;;) {
        if (this.depth === 0) return { ok: true, end: pos, stopped: false };
        pos = this.skipWs(pos);
        const d = buf[pos];
        if (pos >= end) return { ok: false, at: pos };
        if (d === COMMA) {
          pos = this.skipWs(pos + 1);
          if (this.kind[this.depth] === 1) {
            const next = this.readKey(pos, visitor);
            if (next < 0) return next === -2 ? { ok: true, end: pos, stopped: true } : { ok: false, at: pos };
            pos = next;
          } else {
            this.index[this.depth] = (this.index[this.depth] as number) + 1;
          }
          break;
        }
        if (d === CLOSE_OBJECT && this.kind[this.depth] === 1) {
          this.depth--;
          pos++;
          continue;
        }
        if (d === CLOSE_ARRAY && this.kind[this.depth] === 2) {
          this.depth--;
          pos++;
          continue;
        }
        return { ok: false, at: pos };
      }
    }
  }

  /** True while the value about to be read belongs to a `"type"` key. */
  private pendingType = false;
  /** Whether the string last delimited by `stringEnd` held a backslash. */
  private lastEscaped = false;

  private push(kind: number): boolean {
    const d = this.depth + 1;
    if (d > MAX_JSON_DEPTH) return false;
    if (d >= this.kind.length) this.grow();
    this.depth = d;
    this.kind[d] = kind;
    this.index[d] = 0;
    this.keyStart[d] = -1;
    this.keyEnd[d] = -1;
    this.keyEscaped[d] = 0;
    this.typeStart[d] = -1;
    this.typeEnd[d] = -1;
    return true;
  }

  private grow(): void {
    const size = this.kind.length * 2;
    const g8 = (a: Uint8Array) => {
      const n = new Uint8Array(size);
      n.set(a);
      return n;
    };
    const g32 = (a: Int32Array) => {
      const n = new Int32Array(size);
      n.set(a);
      return n;
    };
    this.kind = g8(this.kind);
    this.keyEscaped = g8(this.keyEscaped);
    this.index = g32(this.index);
    this.keyStart = g32(this.keyStart);
    this.keyEnd = g32(this.keyEnd);
    this.typeStart = g32(this.typeStart);
    this.typeEnd = g32(this.typeEnd);
  }

  /** Reads `"key" :` at `pos`; returns the position of the value, -1 when malformed, -2 when the visitor stopped. */
  private readKey(pos: number, visitor: JsonVisitor): number {
    if (this.buf[pos] !== QUOTE) return -1;
    const close = this.stringEnd(pos + 1);
    if (close < 0) return -1;
    const d = this.depth;
    this.keyStart[d] = pos + 1;
    this.keyEnd[d] = close;
    this.keyEscaped[d] = this.lastEscaped ? 1 : 0;
    this.pendingType = close - pos - 1 === 4 && !this.lastEscaped && this.bytesEqual(pos + 1, TYPE_KEY);
    if (visitor.key?.(pos + 1, close, this.lastEscaped, this) === true) return -2;
    const colon = this.skipWs(close + 1);
    if (this.buf[colon] !== COLON) return -1;
    return this.skipWs(colon + 1);
  }

  private bytesEqual(at: number, bytes: readonly number[]): boolean {
    const buf = this.buf;
    for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
    return true;
  }

  /** Offset of the closing quote of a string whose content starts at `from`, or -1. Sets `lastEscaped`. */
  private stringEnd(from: number): number {
    const buf = this.buf;
    const end = this.end;
    let q = buf.indexOf(QUOTE, from);
    if (q < 0 || q >= end) return -1;
    if (this.nextBackslash < from) {
      const b = buf.indexOf(BACKSLASH, from);
      this.nextBackslash = b < 0 ? buf.length : b;
    }
    if (this.nextBackslash > q) {
      this.lastEscaped = false;
      return q;
    }
    // Slow path: skip escapes until an unescaped quote.
    this.lastEscaped = true;
    let i = this.nextBackslash;
    for (;;) {
      // `i` is a backslash inside the string: the next byte is escaped.
      i += 2;
      if (i >= end) return -1;
      q = buf.indexOf(QUOTE, i);
      if (q < 0 || q >= end) return -1;
      const b = buf.indexOf(BACKSLASH, i);
      if (b < 0 || b > q) {
        this.nextBackslash = b < 0 ? buf.length : b;
        return q;
      }
      i = b;
    }
  }

  /** End of a number or literal at `pos`, or -1. */
  private scalarEnd(pos: number): number {
    const buf = this.buf;
    const end = this.end;
    const c = buf[pos] as number;
    let i = pos;
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      // true / false / null
      const word = c === 0x74 ? "true" : c === 0x66 ? "false" : "null";
      if (pos + word.length > end || buf.toString("latin1", pos, pos + word.length) !== word) return -1;
      i = pos + word.length;
    } else {
      while (i < end && NUMBER_BYTE[buf[i] as number] === 1) i++;
      if (i === pos) return -1;
    }
    if (i < end && DELIMITER[buf[i] as number] !== 1) return -1;
    return i;
  }

  private skipWs(pos: number): number {
    const buf = this.buf;
    const end = this.end;
    while (pos < end) {
      const c = buf[pos];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      pos++;
    }
    return pos;
  }

  /** True when the innermost container is an object and its current key equals `name` (ASCII, unescaped). */
  keyIs(name: Uint8Array): boolean {
    const d = this.depth;
    if (d === 0 || this.kind[d] !== 1) return false;
    const s = this.keyStart[d] as number;
    if ((this.keyEnd[d] as number) - s !== name.length || this.keyEscaped[d] === 1) return false;
    const buf = this.buf;
    for (let i = 0; i < name.length; i++) if (buf[s + i] !== name[i]) return false;
    return true;
  }

  /** Raw span of the innermost object's current key, or undefined inside an array / at the top level. */
  keySpan(levelsUp = 0): { start: number; end: number; escaped: boolean } | undefined {
    const d = this.depth - levelsUp;
    if (d <= 0 || this.kind[d] !== 1) return undefined;
    return { start: this.keyStart[d] as number, end: this.keyEnd[d] as number, escaped: this.keyEscaped[d] === 1 };
  }

  /** The `"type"` string of the object `levelsUp` levels above the innermost container, if seen before now. */
  objectType(levelsUp = 0): string | undefined {
    const d = this.depth - levelsUp;
    if (d <= 0 || this.kind[d] !== 1) return undefined;
    const s = this.typeStart[d] as number;
    if (s < 0) return undefined;
    return decodeJsonString(this.buf, s, this.typeEnd[d] as number).bytes.toString("utf8");
  }

  /** The current path: object keys (decoded) and array indices, outermost first. */
  path(): PathSegment[] {
    const out: PathSegment[] = [];
    for (let d = 1; d <= this.depth; d++) {
      if (this.kind[d] === 2) out.push(this.index[d] as number);
      else {
        const s = this.keyStart[d] as number;
        const e = this.keyEnd[d] as number;
        out.push(this.keyEscaped[d] === 1 ? decodeJsonString(this.buf, s, e).bytes.toString("utf8") : this.buf.toString("utf8", s, e));
      }
    }
    return out;
  }

  /** The current path as `$.a.b[0]["odd key"]`. */
  pointer(): string {
    return formatPointer(this.path());
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$`, `.key`, `[index]`, `["odd key"]`: the JSONPath-style pointer used in reports. */
export function formatPointer(path: readonly PathSegment[]): string {
  let out = "$";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * Maps byte offsets of a decoded JSON string back to byte offsets of its raw (escaped) text. Between
 * escapes bytes correspond one to one; an offset inside the bytes an escape decoded to maps to the
 * escape's backslash, an offset just after it to the byte after the escape.
 */
export class OffsetMap {
  /** Raw offset of the first content byte. */
  readonly rawBase: number;
  /** Per escape: decoded start, raw start, decoded end, raw end (flattened). */
  private readonly escapes: Int32Array;
  readonly count: number;

  constructor(rawBase: number, escapes: Int32Array, count: number) {
    this.rawBase = rawBase;
    this.escapes = escapes;
    this.count = count;
  }

  toRaw(decoded: number): number {
    const e = this.escapes;
    // Last escape whose decoded start is <= decoded.
    let lo = 0;
    let hi = this.count - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((e[mid * 4] as number) <= decoded) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (k < 0) return this.rawBase + decoded;
    const decStart = e[k * 4] as number;
    const rawStart = e[k * 4 + 1] as number;
    const decEnd = e[k * 4 + 2] as number;
    const rawEnd = e[k * 4 + 3] as number;
    if (decoded === decStart) return rawStart;
    if (decoded < decEnd) return rawStart;
    return rawEnd + (decoded - decEnd);
  }
}

const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}

function hex4(buf: Buffer, at: number, end: number): number {
  if (at + 4 > end) return -1;
  const a = HEX[buf[at] as number] as number;
  const b = HEX[buf[at + 1] as number] as number;
  const c = HEX[buf[at + 2] as number] as number;
  const d = HEX[buf[at + 3] as number] as number;
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

export interface DecodedString {
  bytes: Buffer;
  /** Present when requested: decoded offsets → raw offsets in the buffer that was decoded. */
  map?: OffsetMap;
}

/**
 * Decodes the raw content of a JSON string, `buf[start, end)` (between the quotes), into UTF-8 bytes.
 * Lenient: an invalid escape is kept as written, a lone surrogate becomes U+FFFD (as `Buffer.from`
 * does with the string `JSON.parse` returns). The decoded bytes are never longer than the raw ones.
 */
export function decodeJsonString(buf: Buffer, start: number, end: number, withMap = false): DecodedString {
  const first = indexWithin(buf, BACKSLASH, start, end);
  if (first < 0) {
    const bytes = buf.subarray(start, end);
    return withMap ? { bytes, map: new OffsetMap(start, new Int32Array(0), 0) } : { bytes };
  }
  const out = Buffer.allocUnsafe(end - start);
  const escapes: EscapeList | undefined = withMap ? { list: new Int32Array(64), count: 0 } : undefined;
  const o = decodeInto(buf, start, end, out, 0, escapes);
  const bytes = out.subarray(0, o);
  return escapes ? { bytes, map: new OffsetMap(start, escapes.list, escapes.count) } : { bytes };
}

/**
 * Decodes `buf[start, end)` like `decodeJsonString`, writing into `out` at `at` (which must have
 * `end - start` bytes of room). Returns the offset after the decoded bytes. No allocation: for
 * scanners that decode many values into one arena.
 */
export function decodeJsonStringInto(buf: Buffer, start: number, end: number, out: Buffer, at: number): number {
  // The hot loop of transcript scanning: memchr to the next backslash, memcpy of long runs, common
  // escapes inline (the others go to the general decoder one at a time).
  let o = at;
  let i = start;
  while (i < end) {
    // Searching past `end` stops at the next backslash of the buffer: over a walk, linear in total.
    let j = buf.indexOf(BACKSLASH, i);
    if (j < 0 || j > end) j = end;
    if (j - i >= 32) {
      o += buf.copy(out, o, i, j);
      i = j;
    } else {
      while (i < j) out[o++] = buf[i++] as number;
    }
    if (i >= end) break;
    const e = i + 1 < end ? (buf[i + 1] as number) : -1;
    if (e === 0x6e) {
      out[o++] = 0x0a;
      i += 2;
    } else if (e === 0x22 || e === 0x5c || e === 0x2f) {
      out[o++] = e;
      i += 2;
    } else if (e === 0x74) {
      out[o++] = 0x09;
      i += 2;
    } else {
      const next = escapeEnd(buf, i, end);
      o = decodeInto(buf, i, next, out, o, undefined);
      i = next;
    }
  }
  return o;
}

/** End of the escape starting at the backslash `i` (a surrogate pair counts as one). */
function escapeEnd(buf: Buffer, i: number, end: number): number {
  if (i + 1 >= end) return end;
  if (buf[i + 1] !== 0x75) return i + 2;
  const cp = hex4(buf, i + 2, end);
  if (cp < 0) return i + 2;
  if (cp >= 0xd800 && cp <= 0xdbff && buf[i + 6] === BACKSLASH && buf[i + 7] === 0x75) {
    const low = hex4(buf, i + 8, end);
    if (low >= 0xdc00 && low <= 0xdfff) return i + 12;
  }
  return i + 6;
}

interface EscapeList {
  list: Int32Array;
  count: number;
}

function decodeInto(buf: Buffer, start: number, end: number, out: Buffer, at: number, escapes: EscapeList | undefined): number {
  let o = at;
  let i = start;
  while (i < end) {
    const c = buf[i] as number;
    if (c !== BACKSLASH) {
      out[o++] = c;
      i++;
      continue;
    }
    const rawStart = i;
    const decStart = o;
    if (i + 1 >= end) {
      // A backslash at the very end: keep it.
      out[o++] = BACKSLASH;
      i = end;
      continue;
    }
    const e = buf[i + 1] as number;
    i += 2;
    switch (e) {
      case 0x6e: // n
        out[o++] = 0x0a;
        break;
      case 0x74: // t
        out[o++] = 0x09;
        break;
      case 0x72: // r
        out[o++] = 0x0d;
        break;
      case 0x62: // b
        out[o++] = 0x08;
        break;
      case 0x66: // f
        out[o++] = 0x0c;
        break;
      case 0x22:
      case 0x5c:
      case 0x2f:
        out[o++] = e;
        break;
      case 0x75: {
        // \uXXXX, possibly a surrogate pair \uD83D\uDE00.
        let cp = hex4(buf, i, end);
        if (cp < 0) {
          // Invalid: keep "\u" as written.
          out[o++] = BACKSLASH;
          out[o++] = 0x75;
          break;
        }
        i += 4;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          const low = buf[i] === BACKSLASH && buf[i + 1] === 0x75 ? hex4(buf, i + 2, end) : -1;
          if (low >= 0xdc00 && low <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            i += 6;
          } else cp = 0xfffd;
        } else if (cp >= 0xdc00 && cp <= 0xdfff) cp = 0xfffd;
        if (cp < 0x80) out[o++] = cp;
        else if (cp < 0x800) {
          out[o++] = 0xc0 | (cp >> 6);
          out[o++] = 0x80 | (cp & 0x3f);
        } else if (cp < 0x10000) {
          out[o++] = 0xe0 | (cp >> 12);
          out[o++] = 0x80 | ((cp >> 6) & 0x3f);
          out[o++] = 0x80 | (cp & 0x3f);
        } else {
          out[o++] = 0xf0 | (cp >> 18);
          out[o++] = 0x80 | ((cp >> 12) & 0x3f);
          out[o++] = 0x80 | ((cp >> 6) & 0x3f);
          out[o++] = 0x80 | (cp & 0x3f);
        }
        break;
      }
      default:
        // Invalid escape: keep it as written.
        out[o++] = BACKSLASH;
        out[o++] = e;
        break;
    }
    if (escapes) {
      const n = escapes.count;
      if ((n + 1) * 4 > escapes.list.length) {
        const grown = new Int32Array(escapes.list.length * 2);
        grown.set(escapes.list);
        escapes.list = grown;
      }
      const l = escapes.list;
      l[n * 4] = decStart - at;
      l[n * 4 + 1] = rawStart;
      l[n * 4 + 2] = o - at;
      l[n * 4 + 3] = Math.min(i, end);
      escapes.count = n + 1;
    }
  }
  return o;
}

export interface JsonStringValue {
  /** Decoded UTF-8 bytes (a view of the input when the value holds no escape). */
  bytes: Buffer;
  /** Path from the record's root, e.g. `["message", "content", 0, "text"]`. */
  path: PathSegment[];
  /** `$.message.content[0].text`. */
  pointer: string;
  /** Raw content span (between the quotes) in the input buffer. */
  start: number;
  end: number;
  escaped: boolean;
  /** Decoded offset → raw offset in the input buffer. */
  map: OffsetMap;
  /** 0-based index of the record (JSONL line or the single JSON document) holding the value. */
  record: number;
  /** True for object keys (only with `keys: true`). */
  isKey: boolean;
}

/**
 * Every string value of `buf`, which holds one JSON document or JSONL (one value per line); with
 * `keys: true`, object keys too. A record that is not valid JSON is skipped (`onMalformed` is told).
 */
export function* jsonStringValues(
  buf: Buffer,
  options: { keys?: boolean; onMalformed?: (start: number, end: number, record: number) => void } = {},
): Generator<JsonStringValue> {
  const walker = new JsonWalker(buf);
  for (const { start, end, record } of jsonRecords(buf, walker)) {
    const found: JsonStringValue[] = [];
    const collect =
      (isKey: boolean) =>
      (s: number, e: number, escaped: boolean, w: JsonWalker): undefined => {
        const decoded = decodeJsonString(buf, s, e, true);
        const path = w.path();
        found.push({
          bytes: decoded.bytes,
          path,
          pointer: formatPointer(path),
          start: s,
          end: e,
          escaped,
          map: decoded.map as OffsetMap,
          record,
          isKey,
        });
        return undefined;
      };
    const result = walker.walk(start, end, { value: collect(false), key: options.keys ? collect(true) : undefined });
    if (!result.ok) {
      options.onMalformed?.(start, end, record);
      continue;
    }
    yield* found;
  }
}

/**
 * The records of a JSON or JSONL buffer: the whole buffer when it holds a single JSON value (pretty
 * printed or not), else each non-blank line.
 */
export function jsonRecords(buf: Buffer, walker = new JsonWalker(buf)): { start: number; end: number; record: number }[] {
  let s = 0;
  while (s < buf.length && isWs(buf[s] as number)) s++;
  if (s >= buf.length) return [];
  const firstLineEnd = lineEnd(buf, s);
  const first = walker.walk(s, buf.length, {});
  if (first.ok) {
    let rest = first.end;
    while (rest < buf.length && isWs(buf[rest] as number)) rest++;
    // A single document, or a first value that spans several lines: one record.
    if (rest >= buf.length || first.end > firstLineEnd) return [{ start: s, end: buf.length, record: 0 }];
  }
  const records: { start: number; end: number; record: number }[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const e = lineEnd(buf, pos);
    let a = pos;
    while (a < e && isWs(buf[a] as number)) a++;
    if (a < e) records.push({ start: a, end: e, record: records.length });
    pos = e + 1;
  }
  return records;
}

/** First index of `byte` in `buf[start, end)`, or -1 (never searches past `end`). */
export function indexWithin(buf: Buffer, byte: number, start: number, end: number): number {
  if (end - start <= 64) {
    for (let i = start; i < end; i++) if (buf[i] === byte) return i;
    return -1;
  }
  const i = buf.subarray(start, end).indexOf(byte);
  return i < 0 ? -1 : start + i;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function lineEnd(buf: Buffer, from: number): number {
  const i = buf.indexOf(0x0a, from);
  return i < 0 ? buf.length : i;
}
