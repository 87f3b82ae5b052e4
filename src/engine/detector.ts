import { type DecodedRun, decoders, MIN_BODY_RUN, MIN_HEX_RUN, triggerWindows } from "../decode/index.js";
import { shannonEntropy } from "./entropy.js";
import { fingerprintOf, sha256Hex } from "./fingerprint.js";
import { KeywordMatcher } from "./keywords.js";
import { isPlaceholder } from "./placeholder.js";
import { LineIndex } from "./positions.js";
import { Prefilter } from "./prefilter.js";
import { redactedPreview } from "./redact.js";
import { type CompiledRegex, compileRegex } from "./regex.js";
import { type CompiledRule, compileRule, RuleError } from "./rules.js";
import type { Finding, Fragment, RuleDefinition } from "./types.js";

export interface DetectorOptions {
  /** Decode base64 / hex / percent-encoded runs and scan the result (default true). */
  decode?: boolean;
  /** How many encodings deep to look (default 2: e.g. a docker config inside a Kubernetes Secret). */
  maxDecodeDepth?: number;
  /** Upper bound on decoded bytes per fragment (default 4 MiB). */
  maxDecodedBytes?: number;
  /** Compile every pattern up front so a bad one fails at construction (default true). */
  validate?: boolean;
  /**
   * A store for the keyword automaton, which takes ~20 ms to build for the full catalog: hooks start
   * faster when the caller keeps it between runs (the engine itself never touches the file system).
   */
  keywordTableCache?: KeywordTableCache;
  /**
   * Run the per-byte pass in WebAssembly (default true; without WebAssembly, e.g. `--jitless`, the
   * JavaScript automaton is used and the decoders scan whole buffers). False is for tests.
   */
  webAssembly?: boolean;
}

export interface KeywordTableCache {
  get(key: string): Buffer | undefined;
  set(key: string, data: Buffer): void;
}

/** A rule runs from this many bytes before a keyword hit... */
const WINDOW_BEFORE = 1024;
/** ...to this many after it, unless the rule sets `span` (e.g. PEM blocks). */
const DEFAULT_SPAN = 1024;
/**
 * Window after the keyword for a rule whose matches start with it (a token prefix). A longer token
 * is still found whole: a match cut by the window's end is retried on a longer window.
 */
const ANCHORED_SPAN = 256;

/** A hit in the coordinates of the buffer it was found in. */
interface Hit {
  rule: CompiledRule;
  start: number;
  end: number;
  secret: string;
  entropy: number;
  decodedFrom?: string;
}

function buildKeywordMatcher(keywords: string[], cache: KeywordTableCache | undefined): KeywordMatcher {
  if (!cache) return new KeywordMatcher(keywords);
  const key = sha256Hex(`keyword-table-v3\0${keywords.join("\0")}`);
  const stored = cache.get(key);
  const restored = stored ? KeywordMatcher.deserialize(keywords, stored) : undefined;
  if (restored) return restored;
  const built = new KeywordMatcher(keywords);
  cache.set(key, built.serialize());
  return built;
}

/** A rule admitted by a keyword. */
interface KeywordEntry {
  rule: number;
  /** Exact bytes for a case-sensitive keyword. */
  exact?: Buffer;
  followedBy?: Uint8Array;
  /** The keyword starts with a letter, digit or `_` (so a `\b` before it needs a non-word byte). */
  wordByteFirst: boolean;
}

/** Where a rule runs around a keyword hit; worked out on the rule's first hit (see RuleShape). */
interface RuleWindow {
  before: number;
  span: number;
  /** The rule's matches have a length bound, within which `before` and `span` already lie. */
  bounded: boolean;
  /** A match starts at the hit after a non-word byte (`\bEAA…`): mid-word hits are skipped. */
  wordStart: boolean;
}

/**
 * Windows closer than this are merged: one regex call over the gap costs less than a second call
 * (measured with native re2: ~1 µs per call, ~2 ns per byte scanned).
 */
const MERGE_GAP = 256;

/** Cap on the text kept for inline allow comments on very long (minified) lines. */
const LINE_TEXT_CAP = 4096;

export class Detector {
  readonly rules: readonly CompiledRule[];
  private readonly options: Required<Omit<DetectorOptions, "keywordTableCache" | "webAssembly">>;
  private readonly keywordMatcher: KeywordMatcher;
  private readonly prefilter: Prefilter;
  /**
   * keyword id → the rules it admits. `exact` holds the keyword's bytes when the rule wrote it with
   * upper-case letters: such a keyword must match case-sensitively (`EAA`, `eyJ`, `SK`), which keeps
   * short prefixes from firing all over base64 text such as source maps.
   */
  private readonly rulesByKeyword: KeywordEntry[][] = [];
  /** Byte length of each keyword, by keyword id. */
  private keywordLengths: Int32Array = new Int32Array(0);
  /** Per rule, its window parameters once worked out (see windowOf). */
  private readonly windowsByRule: (RuleWindow | undefined)[] = [];
  /** Rules without keywords run over every fragment. */
  private readonly alwaysRun: number[] = [];
  /** One pass finds base64, hex and percent-encoded runs (undefined when decoding is off). */
  private readonly decoderTrigger?: CompiledRegex;

  constructor(definitions: readonly RuleDefinition[], options: DetectorOptions = {}) {
    this.options = {
      decode: options.decode ?? true,
      maxDecodeDepth: options.maxDecodeDepth ?? 2,
      maxDecodedBytes: options.maxDecodedBytes ?? 4 * 1024 * 1024,
      validate: options.validate ?? true,
    };
    const seen = new Set<string>();
    this.rules = definitions.map((def) => {
      if (seen.has(def.id)) throw new RuleError(`rule "${def.id}" is defined twice`);
      seen.add(def.id);
      return compileRule(def, "rule", this.options.validate);
    });
    const keywordIds = new Map<string, number>();
    this.rules.forEach((rule, i) => {
      if (rule.keywords.length === 0) this.alwaysRun.push(i);
      for (const written of new Set(rule.def.keywords ?? [])) {
        const k = written.toLowerCase();
        let id = keywordIds.get(k);
        if (id === undefined) {
          id = keywordIds.size;
          keywordIds.set(k, id);
          this.rulesByKeyword.push([]);
        }
        this.rulesByKeyword[id]?.push({
          rule: i,
          exact: written === k ? undefined : Buffer.from(written, "utf8"),
          followedBy: rule.followedBy,
          wordByteFirst: WORD_BYTE[k.charCodeAt(0)] === 1,
        });
      }
    });
    this.keywordMatcher = buildKeywordMatcher([...keywordIds.keys()], options.keywordTableCache);
    this.prefilter = new Prefilter(this.keywordMatcher, MIN_BODY_RUN, MIN_HEX_RUN, options.webAssembly ?? true);
    this.keywordLengths = Int32Array.from([...keywordIds.keys()].map((k) => Buffer.byteLength(k, "utf8")));
    // One alternation instead of a pass per decoder (measured: the three passes were ~20% of scan time).
    if (this.options.decode) this.decoderTrigger = compileRegex(decoders.map((d) => `(?:${d.trigger})`).join("|"), false);
  }

  detect(fragment: Fragment): Finding[] {
    const budget = { decodedBytes: this.options.maxDecodedBytes };
    const hits = resolveOverlaps(this.scan(fragment.bytes, 0, budget));
    if (hits.length === 0) return [];
    const lines = new LineIndex(fragment.bytes);
    return hits.map((hit) => this.toFinding(hit, fragment, lines));
  }

  private scan(buf: Buffer, depth: number, budget: { decodedBytes: number }): Hit[] {
    const hits: Hit[] = [];
    const pass = this.prefilter.scan(buf);
    for (const [ruleIndex, windows] of this.ruleWindows(buf, pass.hits)) {
      const rule = this.rules[ruleIndex] as CompiledRule;
      for (const [from, to] of windows) this.runRule(rule, buf, from, to, hits);
    }
    if (this.decoderTrigger && depth < this.options.maxDecodeDepth) {
      for (const run of this.decodedRuns(buf, pass.runs, budget)) {
        // Findings inside decoded text point at the encoded run in this buffer.
        for (const inner of this.scan(run.bytes, depth + 1, budget)) {
          hits.push({
            ...inner,
            start: run.start,
            end: run.end,
            decodedFrom: inner.decodedFrom ? `${run.kind}>${inner.decodedFrom}` : run.kind,
          });
        }
      }
    }
    return hits;
  }

  /**
   * Bytes of `buf` each rule would run its regex over (after the keyword prefilter): a deterministic
   * measure of how selective a rule's keywords are, used by the rule test suite and `bench:rules`.
   */
  coverage(buf: Buffer): Map<string, number> {
    const out = new Map<string, number>();
    for (const [index, windows] of this.ruleWindows(buf, this.prefilter.scan(buf).hits)) {
      out.set(
        (this.rules[index] as CompiledRule).id,
        windows.reduce((n, [a, b]) => n + b - a, 0),
      );
    }
    return out;
  }

  /**
   * For each rule that can match, the byte ranges to run it on: merged windows around its keywords'
   * hits (one Aho-Corasick pass), or the whole buffer for a rule without keywords.
   */
  private ruleWindows(buf: Buffer, hits: readonly number[]): Map<number, [number, number][]> {
    const windows = new Map<number, [number, number][]>();
    for (const i of this.alwaysRun) windows.set(i, [[0, buf.length]]);
    if (hits.length === 0) return windows;
    const lengths = this.keywordLengths;
    const entries = this.rulesByKeyword;
    const rules = this.rules;
    // Per rule, the window being grown (flat arrays: this loop runs once per keyword hit and rule).
    const lists: ([number, number][] | undefined)[] = new Array(rules.length);
    const lastTo = new Int32Array(rules.length).fill(-1);
    // Hits arrive in order; consecutive hits inside one long run (a source map's `mappings`) share
    // the run's end instead of scanning it again for each hit.
    let lastRunEnd = -1;
    for (let h = 0; h < hits.length; h += 2) {
      const keywordId = hits[h] as number;
      const end = hits[h + 1] as number;
      const start = end - (lengths[keywordId] as number);
      let runEnd = -1;
      let checkedSet: Uint8Array | undefined;
      let checkedResult = false;
      const afterWord = start > 0 && WORD_BYTE[buf[start - 1] as number] === 1;
      for (const entry of entries[keywordId] as KeywordEntry[]) {
        const ruleIndex = entry.rule;
        const window = this.windowsByRule[ruleIndex] ?? this.windowOf(ruleIndex);
        if (window.wordStart && afterWord && entry.wordByteFirst) continue;
        if (entry.exact && !sameBytes(buf, start, entry.exact)) continue;
        if (entry.followedBy) {
          if (entry.followedBy !== checkedSet) {
            checkedSet = entry.followedBy;
            checkedResult = followedWithin(buf, end, checkedSet);
          }
          if (!checkedResult) continue;
        }
        const from = start > window.before ? start - window.before : 0;
        let to = end + window.span;
        if (!window.bounded) {
          // A token can be longer than any fixed window (a 3 KB JWT): the window of a rule whose
          // matches have no length bound reaches past the end of the run of non-blank, non-quote
          // bytes after the keyword.
          if (runEnd < 0) {
            if (end >= lastRunEnd) lastRunEnd = tokenRunEnd(buf, end);
            runEnd = lastRunEnd;
          }
          if (runEnd + 1 > to) to = runEnd + 1;
        }
        if (to > buf.length) to = buf.length;
        const previousTo = lastTo[ruleIndex] as number;
        if (previousTo >= 0 && from <= previousTo + MERGE_GAP) {
          // Merge with the window being grown (a longer keyword may start a little earlier).
          const list = lists[ruleIndex] as [number, number][];
          const last = list[list.length - 1] as [number, number];
          if (from < last[0]) last[0] = from;
          if (to > last[1]) {
            last[1] = to;
            lastTo[ruleIndex] = to;
          }
          continue;
        }
        let list = lists[ruleIndex];
        if (!list) {
          list = [];
          lists[ruleIndex] = list;
          windows.set(ruleIndex, list);
        }
        list.push([from, to]);
        lastTo[ruleIndex] = to;
      }
    }
    return windows;
  }

  private windowOf(ruleIndex: number): RuleWindow {
    const rule = this.rules[ruleIndex] as CompiledRule;
    const { startsWithKeyword, boundaryBeforeKeyword, maxLength } = rule.shape;
    const before = rule.def.windowBefore ?? (startsWithKeyword ? 1 : WINDOW_BEFORE);
    const span = rule.def.span ?? (startsWithKeyword ? ANCHORED_SPAN : DEFAULT_SPAN);
    const window: RuleWindow = {
      // At least one byte before, so `\b` sees the real preceding character. A match holding the
      // keyword lies within its longest length of it on either side.
      before: Math.max(1, Math.min(before, maxLength)),
      span: Math.min(span, maxLength),
      bounded: Number.isFinite(maxLength),
      wordStart: boundaryBeforeKeyword,
    };
    this.windowsByRule[ruleIndex] = window;
    return window;
  }

  /** Runs one rule on `buf[from, to)`; a match cut by the window's end is retried on a longer one. */
  private runRule(rule: CompiledRule, buf: Buffer, from: number, to: number, hits: Hit[]): void {
    const window = buf.subarray(from, to);
    for (const m of rule.regex.matches(window, rule.secretGroup)) {
      // Cut at the left edge of a window that is not the buffer's start: the full match is unknown.
      if (m.start === 0 && from > 0 && m.end > m.start) continue;
      if (m.end === window.length && to < buf.length) {
        const longer = Math.min(buf.length, to + 64 * 1024);
        for (const again of rule.regex.matches(buf.subarray(from + m.start, longer), rule.secretGroup)) {
          if (again.start !== 0) break;
          const hit = this.accept(
            rule,
            buf,
            from + m.start + again.groupStart,
            from + m.start + again.groupEnd,
            from + m.start,
            from + m.start + again.end,
          );
          if (hit) hits.push(hit);
          break;
        }
        continue;
      }
      const hit = this.accept(rule, buf, from + m.groupStart, from + m.groupEnd, from + m.start, from + m.end);
      if (hit) hits.push(hit);
    }
  }

  /**
   * Encoded runs worth a second look, within the decoded-bytes budget. The trigger runs only in the
   * windows the per-byte pass left possible (`bodyRuns`), or over the whole buffer without them.
   */
  private decodedRuns(buf: Buffer, bodyRuns: number[] | undefined, budget: { decodedBytes: number }): DecodedRun[] {
    const runs: DecodedRun[] = [];
    for (const m of this.triggerMatches(buf, bodyRuns)) {
      if (budget.decodedBytes <= 0) break;
      const match = buf.subarray(m.start, m.end);
      const decoder = decoders.find((d) => d.claims(match));
      if (!decoder) continue;
      const start = m.start + (decoder.runStart?.(match) ?? 0);
      const decoded = decoder.decode(buf.subarray(start, m.end));
      if (!decoded) continue;
      budget.decodedBytes -= decoded.length;
      runs.push({ kind: decoder.kind, start, end: m.end, bytes: decoded });
    }
    return runs;
  }

  private triggerMatches(buf: Buffer, bodyRuns: number[] | undefined): { start: number; end: number }[] {
    const trigger = this.decoderTrigger as CompiledRegex;
    if (!bodyRuns) return trigger.spans(buf);
    const windows = triggerWindows(buf, bodyRuns);
    const out: { start: number; end: number }[] = [];
    for (let w = 0; w < windows.length; w += 2) {
      const from = windows[w] as number;
      for (const m of trigger.spans(buf.subarray(from, windows[w + 1] as number))) {
        out.push({ start: from + m.start, end: from + m.end });
      }
    }
    return out;
  }

  private accept(rule: CompiledRule, buf: Buffer, start: number, end: number, matchStart: number, matchEnd: number): Hit | null {
    if (end <= start) return null;
    if (rule.def.maxLength !== undefined && end - start > rule.def.maxLength * 4) return null;
    const secret = buf.toString("utf8", start, end);
    if (rule.def.maxLength !== undefined && secret.length > rule.def.maxLength) return null;
    const entropy = shannonEntropy(secret);
    if (entropy < rule.entropy) return null;
    if (rule.checksum && !rule.checksum(secret)) return null;
    if (!rule.def.skipPlaceholderFilter && isPlaceholder(secret)) return null;
    if (rule.allow.some((a) => a.test(secret))) return null;
    if (rule.allowMatch.length && rule.allowMatch.some((a) => a.test(matchContext(buf, matchStart, matchEnd)))) return null;
    return { rule, start, end, secret, entropy };
  }

  private toFinding(hit: Hit, fragment: Fragment, lines: LineIndex): Finding {
    const origin = fragment.origin;
    let from: { line: number; column: number };
    let to: { line: number; column: number };
    let lineText: string;
    if (fragment.positionOf) {
      from = fragment.positionOf(hit.start);
      to = fragment.positionOf(hit.end);
      lineText = fragment.lineTextOf?.(hit.start) ?? "";
    } else {
      const lineBase = (origin.lineBase ?? 1) - 1;
      const columnBase = (origin.columnBase ?? 1) - 1;
      const a = lines.position(hit.start);
      const b = lines.position(hit.end);
      from = { line: a.line + lineBase, column: a.column + (a.line === 1 ? columnBase : 0) };
      to = { line: b.line + lineBase, column: b.column + (b.line === 1 ? columnBase : 0) };
      const span = lines.lineSpan(hit.start);
      const long = span.end - span.start > LINE_TEXT_CAP;
      const lineStart = long ? Math.max(span.start, hit.start - LINE_TEXT_CAP / 2) : span.start;
      const lineEnd = long ? Math.min(span.end, hit.end + LINE_TEXT_CAP / 2) : span.end;
      lineText = fragment.bytes.toString("utf8", lineStart, lineEnd);
    }
    const secretSha256 = sha256Hex(hit.secret);
    const finding: Finding = {
      ruleId: hit.rule.id,
      ruleName: hit.rule.name,
      severity: hit.rule.severity,
      path: origin.path,
      startLine: from.line,
      startColumn: from.column,
      endLine: to.line,
      endColumn: to.column,
      preview: redactedPreview(hit.secret),
      secretSha256,
      fingerprint: fingerprintOf(hit.rule.id, secretSha256, origin.path),
      entropy: hit.entropy,
      secret: hit.secret,
      lineText,
    };
    if (hit.decodedFrom) finding.decodedFrom = hit.decodedFrom;
    if (origin.commit) finding.commit = origin.commit;
    if (origin.author) finding.author = origin.author;
    if (origin.date) finding.date = origin.date;
    if (origin.logicalLocation) finding.logicalLocation = origin.logicalLocation;
    return finding;
  }
}

/** Bytes that end a token: blanks, quotes and angle brackets. */
const TOKEN_END = new Uint8Array(256);
for (const b of Buffer.from(" \t\r\n\"'`<>")) TOKEN_END[b] = 1;
/** Longest run scanned for a token's end (minified files can be one huge line). */
const MAX_TOKEN_RUN = 64 * 1024;

function tokenRunEnd(buf: Buffer, from: number): number {
  const limit = Math.min(buf.length, from + MAX_TOKEN_RUN);
  let i = from;
  while (i < limit && TOKEN_END[buf[i] as number] === 0) i++;
  return i;
}

/** ASCII letters, digits and `_`: RE2's `\b` word bytes. */
const WORD_BYTE = new Uint8Array(256);
for (const b of Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")) WORD_BYTE[b] = 1;

/** `buf` holds `bytes` at `at` (a loop: cheaper than a subarray and a native compare per hit). */
function sameBytes(buf: Buffer, at: number, bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false;
  return true;
}

/** Bytes after a keyword searched for one of a rule's `keywordFollowedBy` characters. */
const FOLLOW_WITHIN = 48;

function followedWithin(buf: Buffer, from: number, set: Uint8Array): boolean {
  const limit = Math.min(buf.length, from + FOLLOW_WITHIN);
  for (let i = from; i < limit; i++) if (set[buf[i] as number] === 1) return true;
  return false;
}

/** Context for `allowMatch`: the match plus up to 64 bytes before it on the same line (the key name). */
function matchContext(buf: Buffer, start: number, end: number): string {
  let from = start;
  while (from > 0 && start - from < 64 && buf[from - 1] !== 10) from--;
  return buf.toString("utf8", from, end);
}

const SEVERITY_RANK = { critical: 3, high: 2, medium: 1, low: 0 } as const;

/**
 * One finding per secret: when several rules report overlapping spans, a provider rule beats a
 * generic one, and among equals the higher severity, then the earlier rule, wins. Distinct secrets
 * that merely sit next to each other are all kept.
 */
function resolveOverlaps(hits: Hit[]): Hit[] {
  if (hits.length < 2) return hits;
  const better = (a: Hit, b: Hit) => {
    if (a.rule.generic !== b.rule.generic) return !a.rule.generic;
    if (SEVERITY_RANK[a.rule.severity] !== SEVERITY_RANK[b.rule.severity]) {
      return SEVERITY_RANK[a.rule.severity] > SEVERITY_RANK[b.rule.severity];
    }
    return a.end - a.start >= b.end - b.start;
  };
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Hit[] = [];
  for (const hit of sorted) {
    const clash = kept.findIndex(
      (k) =>
        k.start < hit.end &&
        hit.start < k.end &&
        (k.rule.generic || hit.rule.generic || k.secret === hit.secret || (k.start === hit.start && k.end === hit.end)),
    );
    if (clash === -1) kept.push(hit);
    else if (better(hit, kept[clash] as Hit)) kept[clash] = hit;
  }
  return kept;
}
