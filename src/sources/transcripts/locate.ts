/**
 * Turns where a secret sits (record, raw offsets, decoded value) into a logical location: session,
 * record index, role, tool, action and the JSON pointer of the value, through every JSON-in-a-string
 * level (`$.payload.arguments::$.command[2]`). Runs for findings only.
 */
import { formatPointer, JsonWalker, type PathSegment } from "../../decode/json-strings.js";
import type { LogicalLocation } from "../../engine/types.js";
import { type FormatInfo, sessionFromPath } from "./formats.js";
import { type Described, type FileContext, type InnerText, type Interpreter, interpreterFor } from "./interpret.js";
import { type Located, looksLikeJson, type Segment, type StructuredScan } from "./scanner.js";

/** Separates pointers of nested JSON levels. */
export const NESTED_SEPARATOR = "::";

interface Found {
  path: PathSegment[];
  start: number;
  end: number;
}

/**
 * For each target offset (sorted), the path and raw span of the string (value or key) that contains
 * it, found in one walk of `buf[start, end)`.
 */
function findStrings(buf: Buffer, start: number, end: number, targets: readonly number[]): Map<number, Found> {
  const found = new Map<number, Found>();
  const sorted = [...new Set(targets)].sort((a, b) => a - b);
  if (sorted.length === 0) return found;
  let next = 0;
  const visit = (s: number, e: number, _escaped: boolean, w: JsonWalker): boolean => {
    while (next < sorted.length && (sorted[next] as number) < s) next++;
    let k = next;
    while (k < sorted.length && (sorted[k] as number) <= e) {
      found.set(sorted[k] as number, { path: w.path(), start: s, end: e });
      k++;
    }
    next = k;
    return next >= sorted.length;
  };
  const result = new JsonWalker(buf).walk(start, end, { value: visit, key: visit });
  return result.ok ? found : new Map();
}

/** Byte offset in a UTF-8 buffer → character (UTF-16) offset in its string. */
function charOffset(buf: Buffer, start: number, offset: number): number {
  return buf.toString("utf8", start, offset).length;
}

/** Cap on the decoded text handed to interpreters around the secret. */
const INNER_CAP = 256 * 1024;

function innerText(buf: Buffer, start: number, end: number, offset: number): InnerText {
  // Very long values: keep a window around the secret (enough to see its line and patch headers).
  let a = start;
  let b = end;
  if (b - a > INNER_CAP) {
    a = Math.max(start, offset - INNER_CAP / 2);
    while (a > start && (buf[a] as number) >= 0x80 && (buf[a] as number) < 0xc0) a--;
    b = Math.min(end, offset + INNER_CAP / 2);
  }
  return { text: buf.toString("utf8", a, b), offset: charOffset(buf, a, offset) };
}

export class FileContextImpl implements FileContext {
  private first?: { value: unknown };
  private readonly names = new Map<string, string | undefined>();
  private readonly parsed = new Map<number, unknown>();

  constructor(
    readonly info: FormatInfo,
    readonly path: string,
    private readonly scan: StructuredScan,
    private readonly interpreter: Interpreter,
    readonly rowKey?: (record: number) => string | undefined,
  ) {}

  sessionFromPath(): string | undefined {
    return sessionFromPath(this.path, this.info);
  }

  record(index: number): unknown {
    if (this.parsed.has(index)) return this.parsed.get(index);
    const doc = this.scan.docs[index];
    let value: unknown;
    if (doc && !doc.malformed) {
      try {
        value = JSON.parse(this.scan.bytes.toString("utf8", doc.start, doc.end));
      } catch {
        value = undefined;
      }
    }
    this.parsed.set(index, value);
    return value;
  }

  firstRecord(): unknown {
    this.first ??= { value: this.scan.docs.length ? this.record(0) : undefined };
    return this.first.value;
  }

  toolName(id: string): string | undefined {
    if (this.names.has(id)) return this.names.get(id);
    let name: string | undefined;
    const needle = Buffer.from(JSON.stringify(id));
    const lookup = this.interpreter.toolNameIn;
    if (lookup) {
      const bytes = this.scan.bytes;
      let from = 0;
      const tried = new Set<number>();
      for (let n = 0; n < 64 && name === undefined; n++) {
        const i = bytes.indexOf(needle, from);
        if (i < 0) break;
        from = i + needle.length;
        const doc = this.scan.docAt(i);
        if (tried.has(doc)) continue;
        tried.add(doc);
        name = lookup(this.record(doc), id);
      }
    }
    this.names.set(id, name);
    return name;
  }
}

export interface LocateOptions {
  info: FormatInfo;
  /** Path as reported. */
  path: string;
  /** Database row keys (Cursor), by record index. */
  rowKey?: (record: number) => string | undefined;
}

/** Sets `logicalLocation` on every finding of a structured scan. */
export function locateStructured(scan: StructuredScan, located: Located[], options: LocateOptions): void {
  if (located.length === 0) return;
  const interpreter = interpreterFor(options.info);
  const file = new FileContextImpl(options.info, options.path, scan, interpreter, options.rowKey);
  // One walk per record for the top-level targets of all its findings.
  const byDoc = new Map<number, Located[]>();
  for (const l of located) {
    const list = byDoc.get(l.doc);
    if (list) list.push(l);
    else byDoc.set(l.doc, [l]);
  }
  for (const [docIndex, list] of byDoc) {
    const doc = scan.docs[docIndex];
    if (!doc) continue;
    if (doc.malformed) {
      for (const l of list) {
        const described: Described = { session: file.sessionFromPath(), record: options.rowKey?.(docIndex) ?? docIndex, action: "context" };
        l.finding.logicalLocation = buildLocation(options.info, described, undefined, "malformed record, scanned as text");
      }
      continue;
    }
    const chains = list.map((l) => chainOf(l.segment));
    const targets = list.map((l, i) => {
      const chain = chains[i] as Segment[];
      return chain.length ? (chain[0] as Segment).rawStart : l.start;
    });
    const top = findStrings(scan.bytes, doc.start, doc.end, targets);
    list.forEach((l, i) => {
      const chain = chains[i] as Segment[];
      const topFound = top.get(targets[i] as number);
      const path = topFound?.path ?? [];
      const nested: PathSegment[][] = [];
      for (let k = 1; k < chain.length; k++) {
        const parent = scan.segmentBytes(chain[k - 1] as Segment);
        const child = chain[k] as Segment;
        const f = findStrings(parent, 0, parent.length, [child.rawStart]).get(child.rawStart);
        nested.push(f?.path ?? []);
      }
      let inner: InnerText | undefined;
      const seg = l.segment;
      let suffix = "";
      if (seg) {
        if (seg.kind === "base64") suffix = `${NESTED_SEPARATOR}base64`;
        const bytes = scan.segmentBytes(seg);
        const f = seg.kind === "json" && looksLikeJson(bytes) ? findStrings(bytes, 0, bytes.length, [l.offset]).get(l.offset) : undefined;
        if (f) {
          nested.push(f.path);
          inner = innerText(bytes, f.start, f.end, l.offset);
        } else inner = innerText(bytes, 0, bytes.length, l.offset);
      } else if (topFound) {
        inner = innerText(scan.bytes, topFound.start, topFound.end, l.start);
      }
      const pointer = [formatPointer(path), ...nested.map(formatPointer)].join(NESTED_SEPARATOR) + suffix;
      const described = interpreter.describe({ record: file.record(docIndex), recordIndex: docIndex, path, nested, inner, file });
      described.record ??= options.rowKey?.(docIndex) ?? docIndex;
      l.finding.logicalLocation = buildLocation(options.info, described, pointer);
    });
  }
}

function chainOf(seg: Segment | undefined): Segment[] {
  const chain: Segment[] = [];
  for (let s = seg; s; s = s.parent) chain.unshift(s);
  return chain;
}

const ROLE_WORD: Record<string, string> = {
  prompt: "prompt",
  reply: "reply",
  write: "wrote",
  send: "sent",
  read: "read",
  context: "context",
};

/** The logical location object carried by findings (text, JSON `logicalLocation`, SARIF `logicalLocations`). */
export function buildLocation(info: FormatInfo, d: Described, pointer: string | undefined, note?: string): LogicalLocation {
  const parts: string[] = [`${info.agent}${d.session ? ` session ${d.session}` : ""}`];
  if (d.subagent) parts.push(`subagent ${d.subagent}`);
  if (d.record !== undefined) parts.push(`record ${d.record}`);
  if (d.role) parts.push(d.role);
  if (d.tool) parts.push(`${d.tool}${d.toolCallId ? ` (${d.toolCallId})` : ""}`);
  if (d.action) parts.push(ROLE_WORD[d.action] ?? d.action);
  if (pointer) parts.push(pointer);
  if (note) parts.push(note);
  const loc: LogicalLocation = { fullyQualifiedName: parts.join(" > "), kind: "transcript", agent: info.agent };
  if (d.session) loc.session = d.session;
  if (d.subagent) loc.subagent = d.subagent;
  if (d.record !== undefined) loc.record = d.record;
  if (d.role) loc.role = d.role;
  if (d.tool) loc.tool = d.tool;
  if (d.toolCallId) loc.toolCallId = d.toolCallId;
  if (d.action) loc.action = d.action;
  if (pointer) loc.pointer = pointer;
  if (d.timestamp) loc.timestamp = d.timestamp;
  if (note) loc.note = note;
  return loc;
}
