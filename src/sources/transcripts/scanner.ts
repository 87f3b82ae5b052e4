/**
 * Scans JSON / JSONL transcripts so that JSON escaping hides nothing, at close to the speed of a plain
 * scan.
 *
 * 1. Each record (JSONL line, JSON document, database row) is walked once (`JsonWalker`). String
 *    values without a backslash stay where they are. Values holding escapes are decoded into one
 *    arena, each written as `"key":"value"\n` so rules keep the context of the key, and removed from
 *    the raw text (so nothing is scanned twice). A decoded value that is JSON itself (Codex
 *    `arguments` / `output`, MCP results, Cursor `toolFormerData`) is walked in turn, down to a fixed
 *    depth. Opaque fields (`encrypted_content`, thinking `signature`) and media payloads
 *    (`data:image/...`, base64 PNG/JPEG/GIF/WebP) are removed and never scanned. A large decoded value
 *    identical to one already seen in the file (a file read twice, `toolUseResult` copies) is scanned
 *    once; its findings are reported at every copy.
 * 2. The detector runs twice per file: over the raw text without the removed values, and over the
 *    arena. A detector call per value would cost far more than the matching itself.
 * 3. `positionOf` maps each hit back through the offset maps to the physical byte, line and UTF-16
 *    column of the escaped text in the file. A record that is not valid JSON is scanned as plain text.
 */
import { decodeJsonString, decodeJsonStringInto, type JsonVisitor, JsonWalker, type OffsetMap } from "../../decode/json-strings.js";
import { printableRatio } from "../../decode/printable.js";
import type { Detector } from "../../engine/detector.js";
import { LineIndex } from "../../engine/positions.js";
import type { Finding, Origin } from "../../engine/types.js";

/** A record of the scanned buffer: a JSONL line, a JSON document, or a database row. */
export interface Doc {
  start: number;
  end: number;
  /** True when it is not valid JSON (scanned as plain text). */
  malformed: boolean;
}

/** A decoded string value (or a decoded base64 data URL payload) scanned from the arena. */
export interface Segment {
  /** The decoded value this one was found in (JSON in a string); undefined for a value of the file. */
  parent: Segment | undefined;
  /** Raw content span in the parent's decoded bytes, or in the file for a top-level value. */
  rawStart: number;
  rawEnd: number;
  /** Raw span of the object key holding the value (-1 when it is an array element). */
  keyStart: number;
  keyEnd: number;
  kind: "json" | "base64";
  /** Content span in the arena (-1 for a duplicate, which has none). */
  start: number;
  end: number;
  /** The decoded bytes, kept aside when the arena copy was blanked (nested values decoded from it). */
  own?: Buffer;
  /** The identical value scanned in its place. */
  dupOf?: Segment;
  /** Index of the record holding the top-level value. */
  doc: number;
  /** JSON-in-a-string nesting level (1 for a value of the file). */
  depth: number;
  map?: OffsetMap;
}

/** A finding plus where its secret sits: physical byte offsets and the decoded value it was found in. */
export interface Located {
  finding: Finding;
  /** Byte offsets of the secret's (possibly escaped) text in the scanned buffer. */
  start: number;
  end: number;
  doc: number;
  /** Innermost decoded value holding it, and the offset inside that value. */
  segment?: Segment;
  offset: number;
}

export interface StructuredScanOptions {
  /** Explicit records (database rows); by default JSONL lines or the single JSON document. */
  docs?: { start: number; end: number }[];
  /** Physical position of a byte (default: lines of the buffer). */
  positionOf?: (offset: number) => { line: number; column: number };
}

/** How many JSON-in-a-string levels are decoded. */
const MAX_NESTING = 4;
/** A value shorter than this is never an image payload. */
const MIN_PAYLOAD = 64;
/** Values at least this long are scanned once per file when repeated. */
const DEDUPE_MIN = 256;
/** Bytes of a repeated value scanned again when it sits under another key. */
const DUP_HEAD = 192;
/** Cap on the line text kept for inline allow comments. */
const LINE_TEXT_CAP = 4096;

const K_ENCRYPTED_CONTENT = Buffer.from("encrypted_content");
const K_ENCRYPTED_CONTENT_CAMEL = Buffer.from("encryptedContent");
const K_THOUGHT_SIGNATURE = Buffer.from("thoughtSignature");
const K_SIGNATURE = Buffer.from("signature");
const K_DATA = Buffer.from("data");

/** Base64 starts of image formats: PNG, JPEG, GIF, WebP/RIFF. */
const IMAGE_MAGIC = ["iVBORw0KGg", "/9j/", "R0lGODlh", "R0lGODdh", "UklGR"].map((s) => Buffer.from(s));
const DATA_PREFIX = Buffer.from("data:");
const OPAQUE_DATA_URL = /^data:(?:image|audio|video|font)\/|^data:application\/(?:octet-stream|pdf|zip)/;

function startsWith(buf: Buffer, at: number, end: number, prefix: Buffer): boolean {
  if (end - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[at + i] !== prefix[i]) return false;
  return true;
}

/** An image (or other opaque media) payload: skipped, it costs nothing. */
export function isOpaquePayload(buf: Buffer, start: number, end: number): boolean {
  if (end - start < MIN_PAYLOAD) return false;
  const c = buf[start];
  if (c === 0x64 /* d */ && startsWith(buf, start, end, DATA_PREFIX)) {
    return OPAQUE_DATA_URL.test(buf.toString("latin1", start, Math.min(end, start + 40)));
  }
  for (const magic of IMAGE_MAGIC) if (c === magic[0] && startsWith(buf, start, end, magic)) return true;
  return false;
}

/** `data:<mime>;base64,<payload>` that is not media: the payload's offset, else -1. */
function dataUrlPayload(buf: Buffer, start: number, end: number): number {
  if (end - start < 24 || buf[start] !== 0x64 || !startsWith(buf, start, end, DATA_PREFIX)) return -1;
  const head = buf.toString("latin1", start, Math.min(end, start + 128));
  const i = head.indexOf(";base64,");
  return i < 0 ? -1 : start + i + 8;
}

/** Letters, `_`, `-`, `.` and `$` only, at most 40 bytes: a field name, not a value that could be a secret. */
const NAME_BYTE = new Uint8Array(256);
for (const b of Buffer.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-.$")) NAME_BYTE[b] = 1;
function isPlainName(buf: Buffer, start: number, end: number): boolean {
  if (end - start > 40) return false;
  for (let i = start; i < end; i++) if (NAME_BYTE[buf[i] as number] !== 1) return false;
  return true;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

export function looksLikeJson(buf: Buffer, start = 0, end = buf.length): boolean {
  let a = start;
  let b = end - 1;
  while (a <= b && isWs(buf[a] as number)) a++;
  while (b >= a && isWs(buf[b] as number)) b--;
  if (b - a < 1) return false;
  return (buf[a] === 0x7b && buf[b] === 0x7d) || (buf[a] === 0x5b && buf[b] === 0x5d);
}

/** Decoded offset in a base64 payload → offset of the encoded character that starts it. */
function base64ToRaw(decoded: number): number {
  const r = decoded % 3;
  return Math.floor(decoded / 3) * 4 + (r === 0 ? 0 : r + 1);
}

/** JSONL lines, or the whole buffer when it is a single JSON document. */
export function splitRecords(bytes: Buffer, walker: JsonWalker): { start: number; end: number }[] {
  let s = 0;
  while (s < bytes.length && isWs(bytes[s] as number)) s++;
  if (s >= bytes.length) return [];
  const nl = bytes.indexOf(0x0a, s);
  const firstLineEnd = nl < 0 ? bytes.length : nl;
  // Only a value opening with `{` or `[` can span lines; a failed walk stops early, so this costs little.
  if (bytes[s] === 0x7b || bytes[s] === 0x5b) {
    const first = walker.walk(s, bytes.length, {});
    if (first.ok && first.end > firstLineEnd) return [{ start: s, end: bytes.length }];
  }
  const docs: { start: number; end: number }[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    const e = bytes.indexOf(0x0a, pos);
    const end = e < 0 ? bytes.length : e;
    let a = pos;
    while (a < end && isWs(bytes[a] as number)) a++;
    let z = end;
    while (z > a && isWs(bytes[z - 1] as number)) z--;
    if (a < z) docs.push({ start: a, end: z });
    pos = end + 1;
  }
  return docs;
}

const QUOTE = 0x22;
const NEWLINE = 0x0a;
const KEY_SEPARATOR = Buffer.from('":"');

/** Scans a JSON / JSONL buffer (see the module comment). Never throws on malformed input. */
export class StructuredScan {
  readonly bytes: Buffer;
  readonly docs: Doc[] = [];
  readonly segments: Segment[] = [];
  /** Decoded values, each as `"key":"value"\n`; what the second detector call scans. */
  private arena: Buffer;
  private pos = 0;
  /** Raw byte ranges left out of the raw scan (decoded values, opaque payloads): start, end pairs. */
  private readonly removed: number[] = [];
  /** Decoded length → segments of that length (large, non-JSON values), to find repeated values. */
  private readonly byLength = new Map<number, Segment[]>();
  private readonly lengths: number[] = [];
  private readonly dups = new Map<Segment, Segment[]>();
  private lines?: LineIndex;
  private readonly walker: JsonWalker;
  private readonly nestedWalker: JsonWalker;
  private readonly positionOfPhysical: (offset: number) => { line: number; column: number };
  private docIndex = 0;
  private readonly topVisitor: JsonVisitor;

  constructor(
    private readonly detector: Detector,
    bytes: Buffer,
    private readonly origin: Origin,
    options: StructuredScanOptions = {},
  ) {
    this.bytes = bytes;
    this.arena = Buffer.allocUnsafe(Math.max(1024, Math.min(bytes.length + 4096, 64 * 1024 * 1024)));
    this.walker = new JsonWalker(bytes);
    this.nestedWalker = new JsonWalker(bytes);
    this.positionOfPhysical =
      options.positionOf ??
      ((offset) => {
        this.lines ??= new LineIndex(this.bytes);
        return this.lines.position(offset);
      });
    const spans = options.docs ?? splitRecords(bytes, this.walker);
    for (const s of spans) this.docs.push({ start: s.start, end: s.end, malformed: false });
    this.topVisitor = {
      value: (start, end, escaped, w) => this.visit(bytes, start, end, escaped, w, undefined),
      scalar: (start, end, w) => {
        // `"output_tokens":123`: a short number or literal and its key hold no secret, but such keys
        // (token counts in every record) would wake the credential rules all over the raw text.
        if (end - start > 15) return;
        const key = w.keySpan();
        if (key && !key.escaped && isPlainName(bytes, key.start, key.end)) this.removed.push(key.start - 1, end);
      },
    };
  }

  /** Walks every record, then runs the detector over the raw text and over the decoded values. */
  run(): Located[] {
    for (let i = 0; i < this.docs.length; i++) this.walkDoc(i);
    const out: Located[] = [];
    this.detectRaw(out);
    if (this.pos > 0) this.detectArena(out);
    return dedupe(out);
  }

  /** The decoded bytes of a segment. */
  segmentBytes(seg: Segment): Buffer {
    if (seg.dupOf) return this.segmentBytes(seg.dupOf);
    return seg.own ?? this.arena.subarray(seg.start, seg.end);
  }

  /** Parent bytes of a segment: its parent's decoded bytes, or the file. */
  parentBytes(seg: Segment): Buffer {
    return seg.parent ? this.segmentBytes(seg.parent) : this.bytes;
  }

  /** Offset in the parent's bytes of a decoded offset of `seg`. */
  toParent(seg: Segment, offset: number): number {
    const d = Math.max(0, offset);
    if (seg.kind === "base64") return Math.min(seg.rawEnd, seg.rawStart + base64ToRaw(d));
    seg.map ??= decodeJsonString(this.parentBytes(seg), seg.rawStart, seg.rawEnd, true).map as OffsetMap;
    return seg.map.toRaw(d);
  }

  /** Physical offset in the scanned buffer of a decoded offset of `seg`. */
  toPhysical(seg: Segment, offset: number): number {
    let off = offset;
    let s: Segment | undefined = seg;
    while (s) {
      off = this.toParent(s, off);
      s = s.parent;
    }
    return off;
  }

  /** Index of the record holding a physical offset. */
  docAt(offset: number): number {
    const docs = this.docs;
    let lo = 0;
    let hi = docs.length - 1;
    let k = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((docs[mid] as Doc).start <= offset) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return k;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.arena.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.pos + n));
    this.arena.copy(grown, 0, 0, this.pos);
    this.arena = grown;
  }

  private checkpoint() {
    return { segments: this.segments.length, pos: this.pos, removed: this.removed.length, lengths: this.lengths.length };
  }

  private rollback(cp: ReturnType<StructuredScan["checkpoint"]>): void {
    for (let i = cp.segments; i < this.segments.length; i++) {
      const seg = this.segments[i] as Segment;
      if (seg.dupOf) this.dups.get(seg.dupOf)?.pop();
    }
    this.segments.length = cp.segments;
    this.pos = cp.pos;
    this.removed.length = cp.removed;
    for (let i = this.lengths.length - 1; i >= cp.lengths; i--) this.byLength.get(this.lengths[i] as number)?.pop();
    this.lengths.length = cp.lengths;
  }

  private walkDoc(index: number): void {
    const doc = this.docs[index] as Doc;
    const cp = this.checkpoint();
    this.docIndex = index;
    const result = this.walker.walk(doc.start, doc.end, this.topVisitor);
    let ok = result.ok;
    if (result.ok && result.end < doc.end) {
      // Trailing bytes after the value: not one JSON record.
      for (let i = result.end; i < doc.end; i++) {
        if (!isWs(this.bytes[i] as number)) {
          ok = false;
          break;
        }
      }
    }
    if (!ok) {
      // Scanned as plain text: keep its raw bytes, drop its decoded values.
      doc.malformed = true;
      this.rollback(cp);
      return;
    }
    // JSON inside the decoded values (the list grows while we go: nested values are walked in turn).
    for (let i = cp.segments; i < this.segments.length; i++) {
      const seg = this.segments[i] as Segment;
      if (seg.kind === "json" && !seg.dupOf && seg.depth < MAX_NESTING && looksLikeJson(this.arena, seg.start, seg.end)) {
        this.walkNested(seg);
      }
    }
  }

  private walkNested(seg: Segment): void {
    const cp = this.checkpoint();
    const view = this.arena.subarray(seg.start, seg.end);
    const blanks: number[] = [];
    const removedBefore = this.removed.length;
    const w = this.nestedWalker;
    w.buf = view;
    const result = w.walk(0, view.length, {
      value: (start, end, escaped, walker) => this.visit(view, start, end, escaped, walker, seg),
    });
    // `visit` recorded the spans to leave out in `removed`; inside a decoded value they are blanked instead.
    for (let i = removedBefore; i < this.removed.length; i++) blanks.push(this.removed[i] as number);
    this.removed.length = removedBefore;
    if (!result.ok) {
      // Looked like JSON but is not: the value is scanned as text.
      this.rollback({ ...cp, removed: removedBefore });
      return;
    }
    if (blanks.length) {
      seg.own = Buffer.from(view);
      for (let i = 0; i < blanks.length; i += 2)
        this.arena.fill(0x20, seg.start + (blanks[i] as number), seg.start + (blanks[i + 1] as number));
    }
  }

  /** One string value of `buf` (the file, or a decoded value `parent`). */
  private visit(buf: Buffer, start: number, end: number, escaped: boolean, w: JsonWalker, parent: Segment | undefined): void {
    if (end === start) return;
    if (this.opaque(buf, start, end, w)) {
      this.removed.push(start, end);
      return;
    }
    if (!escaped) {
      const payload = dataUrlPayload(buf, start, end);
      if (payload >= 0) this.addBase64(buf, payload, end, parent, w);
      return;
    }
    const key = w.keySpan();
    const keyLength = key ? key.end - key.start : 0;
    this.reserve(end - start + keyLength + 8);
    const arena = this.arena;
    const segStart = this.pos;
    let p = segStart;
    arena[p++] = QUOTE;
    if (key) {
      p += buf.copy(arena, p, key.start, key.end);
      p += KEY_SEPARATOR.copy(arena, p);
    }
    const contentStart = p;
    p = decodeJsonStringInto(buf, start, end, arena, p);
    const contentEnd = p;
    this.removed.push(start, end);
    if (isOpaquePayload(arena, contentStart, contentEnd)) return;
    arena[p++] = QUOTE;
    arena[p++] = NEWLINE;
    const seg: Segment = {
      parent,
      rawStart: start,
      rawEnd: end,
      keyStart: key ? key.start : -1,
      keyEnd: key ? key.end : -1,
      kind: "json",
      start: contentStart,
      end: contentEnd,
      doc: this.docIndex,
      depth: parent ? parent.depth + 1 : 1,
    };
    this.pos = p;
    if (contentEnd - contentStart >= DEDUPE_MIN && !looksLikeJson(arena, contentStart, contentEnd)) {
      const first = this.findCopy(contentStart, contentEnd);
      if (first) {
        // Already scanned: report the first copy's findings here too. The copy is dropped from the
        // arena, except its start when its key differs (rules may read the key with the value's start).
        if (this.sameKey(first, seg, buf)) this.pos = segStart;
        else {
          const head = Math.min(contentEnd, contentStart + DUP_HEAD);
          arena[head] = QUOTE;
          arena[head + 1] = NEWLINE;
          this.pos = head + 2;
          this.segments.push({ ...seg, end: head });
        }
        seg.dupOf = first;
        seg.start = -1;
        seg.end = -1;
        const list = this.dups.get(first);
        if (list) list.push(seg);
        else this.dups.set(first, [seg]);
      } else {
        const length = contentEnd - contentStart;
        const list = this.byLength.get(length);
        if (list) list.push(seg);
        else this.byLength.set(length, [seg]);
        this.lengths.push(length);
      }
    }
    this.segments.push(seg);
  }

  /** An earlier value with the same decoded bytes (same length, then memcmp: no hashing). */
  private findCopy(start: number, end: number): Segment | undefined {
    const list = this.byLength.get(end - start);
    if (!list) return undefined;
    const arena = this.arena;
    for (const seg of list) if (arena.compare(arena, seg.start, seg.end, start, end) === 0) return seg;
    return undefined;
  }

  /** True when two values sit under the same key name (`buf` holds the second one's key). */
  private sameKey(first: Segment, seg: Segment, buf: Buffer): boolean {
    if (first.keyEnd - first.keyStart !== seg.keyEnd - seg.keyStart) return false;
    if (seg.keyStart < 0) return true;
    const a = this.parentBytes(first);
    return a.compare(buf, seg.keyStart, seg.keyEnd, first.keyStart, first.keyEnd) === 0;
  }

  private addBase64(buf: Buffer, payloadStart: number, end: number, parent: Segment | undefined, w: JsonWalker): void {
    // The payload holds no JSON escape when we get here, so its base64 text is the raw text.
    const decoded = Buffer.from(buf.toString("latin1", payloadStart, end), "base64");
    if (decoded.length < 12 || printableRatio(decoded) < 0.9) return;
    this.reserve(decoded.length + 4);
    const contentStart = this.pos + 1;
    this.arena[this.pos] = QUOTE;
    decoded.copy(this.arena, contentStart);
    const contentEnd = contentStart + decoded.length;
    this.arena[contentEnd] = QUOTE;
    this.arena[contentEnd + 1] = NEWLINE;
    this.pos = contentEnd + 2;
    const key = w.keySpan();
    this.segments.push({
      parent,
      rawStart: payloadStart,
      rawEnd: end,
      keyStart: key ? key.start : -1,
      keyEnd: key ? key.end : -1,
      kind: "base64",
      start: contentStart,
      end: contentEnd,
      doc: this.docIndex,
      depth: parent ? parent.depth + 1 : 1,
    });
  }

  /** Opaque ciphertext and media: never scanned. */
  private opaque(buf: Buffer, start: number, end: number, w: JsonWalker): boolean {
    if (w.keyIs(K_ENCRYPTED_CONTENT) || w.keyIs(K_ENCRYPTED_CONTENT_CAMEL) || w.keyIs(K_THOUGHT_SIGNATURE)) return true;
    if (w.keyIs(K_SIGNATURE)) {
      const type = w.objectType();
      if (type === "thinking" || type === "redacted_thinking") return true;
    } else if (w.keyIs(K_DATA) && w.objectType() === "redacted_thinking") return true;
    return isOpaquePayload(buf, start, end);
  }

  /** The raw text without the removed ranges, and the start of each kept piece (compact, physical). */
  private compactRaw(): { buf: Buffer; compact: Int32Array; physical: Int32Array } {
    const r = this.removed;
    if (r.length === 0) return { buf: this.bytes, compact: Int32Array.of(0), physical: Int32Array.of(0) };
    let removedBytes = 0;
    for (let i = 0; i < r.length; i += 2) removedBytes += (r[i + 1] as number) - (r[i] as number);
    const buf = Buffer.allocUnsafe(this.bytes.length - removedBytes);
    const pieces = r.length / 2 + 1;
    const compact = new Int32Array(pieces);
    const physical = new Int32Array(pieces);
    let from = 0;
    let o = 0;
    for (let i = 0, k = 0; k < pieces; i += 2, k++) {
      const to = i < r.length ? (r[i] as number) : this.bytes.length;
      compact[k] = o;
      physical[k] = from;
      o += this.bytes.copy(buf, o, from, to);
      if (i < r.length) from = r[i + 1] as number;
    }
    return { buf, compact, physical };
  }

  private detectRaw(out: Located[]): void {
    const { buf, compact, physical } = this.compactRaw();
    const toPhysical = (offset: number): number => {
      const k = lastAtOrBefore(compact, offset);
      return (physical[k] as number) + offset - (compact[k] as number);
    };
    const seen = new Map<string, number>();
    const bytes = this.bytes;
    const findings = this.detector.detect({
      bytes: buf,
      origin: this.origin,
      positionOf: (offset) => {
        const p = toPhysical(offset);
        const pos = this.positionOfPhysical(p);
        seen.set(`${pos.line}:${pos.column}`, p);
        return pos;
      },
      lineTextOf: (offset) => lineAround(bytes, toPhysical(offset)),
    });
    for (const f of findings) {
      const start = seen.get(`${f.startLine}:${f.startColumn}`) ?? 0;
      const end = seen.get(`${f.endLine}:${f.endColumn}`) ?? start;
      out.push({ finding: f, start, end, doc: this.docAt(start), offset: start });
    }
  }

  private detectArena(out: Located[]): void {
    const scanned = this.segments.filter((s) => !s.dupOf);
    const starts = Int32Array.from(scanned, (s) => s.start);
    const segmentAt = (offset: number) => scanned[lastAtOrBefore(starts, offset)] as Segment;
    const seen = new Map<string, { seg: Segment; offset: number; physical: number }>();
    const arena = this.arena.subarray(0, this.pos);
    const findings = this.detector.detect({
      bytes: arena,
      origin: this.origin,
      positionOf: (offset) => {
        const seg = segmentAt(offset);
        const d = Math.max(0, Math.min(offset - seg.start, seg.end - seg.start));
        const physical = this.toPhysical(seg, d);
        const pos = this.positionOfPhysical(physical);
        seen.set(`${pos.line}:${pos.column}`, { seg, offset: d, physical });
        return pos;
      },
      lineTextOf: (offset) => {
        const seg = segmentAt(offset);
        return lineAround(this.segmentBytes(seg), Math.max(0, Math.min(offset - seg.start, seg.end - seg.start)));
      },
    });
    for (const f of findings) {
      const s = seen.get(`${f.startLine}:${f.startColumn}`);
      if (!s) continue;
      const e = seen.get(`${f.endLine}:${f.endColumn}`);
      const endOffset = e && e.seg === s.seg ? e.offset : s.offset;
      out.push({ finding: f, start: s.physical, end: e ? e.physical : s.physical, doc: s.seg.doc, segment: s.seg, offset: s.offset });
      // The same finding at every copy of this value.
      for (const dup of this.dups.get(s.seg) ?? []) {
        const start = this.toPhysical(dup, s.offset);
        const end = this.toPhysical(dup, endOffset);
        const a = this.positionOfPhysical(start);
        const b = this.positionOfPhysical(end);
        const finding: Finding = { ...f, startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column };
        out.push({ finding, start, end, doc: dup.doc, segment: dup, offset: s.offset });
      }
    }
  }
}

/** Index of the last element <= value in a sorted array (0 when none). */
function lastAtOrBefore(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let k = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= value) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return k;
}

/** The line holding `offset`, capped around it on very long lines. */
export function lineAround(buf: Buffer, offset: number): string {
  const a0 = offset === 0 ? 0 : buf.lastIndexOf(0x0a, offset - 1) + 1;
  let b = buf.indexOf(0x0a, offset);
  if (b < 0) b = buf.length;
  let a = a0;
  if (b - a > LINE_TEXT_CAP) {
    a = Math.max(a, offset - LINE_TEXT_CAP / 2);
    b = Math.min(b, offset + LINE_TEXT_CAP / 2);
  }
  return buf.toString("utf8", a, b);
}

/** Drops a finding reported twice for the same bytes (the same secret seen at two decoding levels). */
function dedupe(located: Located[]): Located[] {
  if (located.length < 2) return located;
  const byKey = new Map<string, Located>();
  for (const l of located) {
    const key = `${l.start}:${l.end}:${l.finding.secretSha256}`;
    const had = byKey.get(key);
    // Prefer the deepest decoded value: its pointer says the most.
    if (!had || (l.segment?.depth ?? 0) > (had.segment?.depth ?? 0)) byKey.set(key, l);
  }
  return [...byKey.values()];
}
