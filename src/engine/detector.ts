import { type DecodedRun, type Decoder, decoders } from "../decode/index.js";
import { shannonEntropy } from "./entropy.js";
import { fingerprintOf, sha256Hex } from "./fingerprint.js";
import { isPlaceholder } from "./placeholder.js";
import { LineIndex } from "./positions.js";
import { redactedPreview } from "./redact.js";
import { type CompiledRegex, compileRegex, compileSet, type PatternSet, regexEngineName } from "./regex.js";
import { type CompiledRule, compileRule, RuleError } from "./rules.js";
import type { Finding, Fragment, RuleDefinition } from "./types.js";

export interface DetectorOptions {
  /** Decode base64 / hex / percent-encoded runs and scan the result (default true). */
  decode?: boolean;
  /** How many encodings deep to look (default 2: e.g. a docker config inside a Kubernetes Secret). */
  maxDecodeDepth?: number;
  /** Upper bound on decoded bytes per fragment (default 4 MiB). */
  maxDecodedBytes?: number;
  /**
   * How candidate rules are picked: `keywords` (each rule's literal keywords, no start-up cost),
   * `set` (one RE2::Set pass, fastest per byte but costly to build), or `auto` (default): keywords
   * until this detector has seen 2 MiB, then the Set. Hooks scan little and start fast; big scans
   * get the Set.
   */
  prefilter?: "auto" | "keywords" | "set";
  /** Compile every pattern up front so a bad one fails at construction (default true). */
  validate?: boolean;
}

/** Bytes after which `auto` switches from the keyword prefilter to the RE2::Set. */
const SET_THRESHOLD_BYTES = 2 * 1024 * 1024;

/** A hit in the coordinates of the buffer it was found in. */
interface Hit {
  rule: CompiledRule;
  start: number;
  end: number;
  secret: string;
  entropy: number;
  decodedFrom?: string;
}

/**
 * Windows for the multi-pattern pass: big buffers are cut into chunks with an overlap on each side
 * longer than the longest secret, so a flagged rule only runs on the chunks where it can match.
 */
const CHUNK = 64 * 1024;
const OVERLAP = 8 * 1024;
/** Cap on the text kept for inline allow comments on very long (minified) lines. */
const LINE_TEXT_CAP = 4096;

export class Detector {
  readonly rules: readonly CompiledRule[];
  private set?: PatternSet;
  private readonly decoderRegexes: { decoder: Decoder; regex: CompiledRegex }[];
  private readonly options: Required<DetectorOptions>;
  private readonly canUseSet: boolean;
  private bytesSeen = 0;
  /** keyword → indices of the rules it admits; rules without keywords always run. */
  private readonly keywordIndex = new Map<string, number[]>();
  private readonly alwaysRun: number[] = [];

  constructor(definitions: readonly RuleDefinition[], options: DetectorOptions = {}) {
    this.options = {
      decode: options.decode ?? true,
      maxDecodeDepth: options.maxDecodeDepth ?? 2,
      maxDecodedBytes: options.maxDecodedBytes ?? 4 * 1024 * 1024,
      prefilter: options.prefilter ?? "auto",
      validate: options.validate ?? true,
    };
    const seen = new Set<string>();
    this.rules = definitions.map((def) => {
      if (seen.has(def.id)) throw new RuleError(`rule "${def.id}" is defined twice`);
      seen.add(def.id);
      return compileRule(def, "rule", this.options.validate);
    });
    this.rules.forEach((rule, i) => {
      if (rule.keywords.length === 0) this.alwaysRun.push(i);
      for (const k of new Set(rule.keywords)) {
        const list = this.keywordIndex.get(k) ?? [];
        list.push(i);
        this.keywordIndex.set(k, list);
      }
    });
    const activeDecoders = this.options.decode ? decoders : [];
    this.decoderRegexes = activeDecoders.map((decoder) => ({ decoder, regex: compileRegex(decoder.trigger, false) }));
    // re2js has no Set: without the native addon the keyword prefilter is the only choice.
    this.canUseSet = regexEngineName() === "re2" && this.options.prefilter !== "keywords";
  }

  detect(fragment: Fragment): Finding[] {
    this.bytesSeen += fragment.bytes.length;
    const budget = { decodedBytes: this.options.maxDecodedBytes };
    const hits = resolveOverlaps(this.scan(fragment.bytes, 0, budget));
    if (hits.length === 0) return [];
    const lines = new LineIndex(fragment.bytes);
    return hits.map((hit) => this.toFinding(hit, fragment, lines));
  }

  private scan(buf: Buffer, depth: number, budget: { decodedBytes: number }): Hit[] {
    const hits: Hit[] = [];
    const runs: DecodedRun[] = [];
    for (let own = 0; own < buf.length || own === 0; own += CHUNK) {
      const winStart = Math.max(0, own - OVERLAP);
      const ownEnd = Math.min(buf.length, own + CHUNK);
      const winEnd = Math.min(buf.length, ownEnd + OVERLAP);
      const window = buf.subarray(winStart, winEnd);
      const isOwn = (start: number) => start >= own - winStart && (start < ownEnd - winStart || ownEnd === buf.length);
      for (const index of this.candidates(window)) {
        const rule = this.rules[index];
        if (rule) {
          for (const m of rule.regex.matches(window, rule.secretGroup)) {
            if (!isOwn(m.start)) continue;
            const hit = this.accept(rule, window, m.groupStart, m.groupEnd, m.start, m.end);
            if (hit) {
              hit.start += winStart;
              hit.end += winStart;
              hits.push(hit);
            }
          }
        } else if (depth < this.options.maxDecodeDepth) {
          const entry = this.decoderRegexes[index - this.rules.length];
          if (!entry) continue;
          for (const m of entry.regex.matches(window, 0)) {
            if (!isOwn(m.start) || budget.decodedBytes <= 0) continue;
            const decoded = entry.decoder.decode(window.subarray(m.start, m.end));
            if (!decoded) continue;
            budget.decodedBytes -= decoded.length;
            runs.push({ kind: entry.decoder.kind, start: m.start + winStart, end: m.end + winStart, bytes: decoded });
          }
        }
      }
      if (buf.length === 0) break;
    }
    // Findings inside decoded text point at the encoded run in this buffer.
    for (const run of runs) {
      for (const inner of this.scan(run.bytes, depth + 1, budget)) {
        hits.push({
          ...inner,
          start: run.start,
          end: run.end,
          decodedFrom: inner.decodedFrom ? `${run.kind}>${inner.decodedFrom}` : run.kind,
        });
      }
    }
    return hits;
  }

  /** Indices of rules (then decoders, offset by the rule count) that may match in `window`. */
  private candidates(window: Buffer): number[] {
    if (this.canUseSet && (this.options.prefilter === "set" || this.bytesSeen > SET_THRESHOLD_BYTES)) {
      this.set ??= compileSet([...this.rules.map((r) => r.def.pattern), ...this.decoderRegexes.map((d) => d.decoder.trigger)]);
      return this.set.match(window);
    }
    const lower = window.toString("latin1").toLowerCase();
    const picked = new Set<number>(this.alwaysRun);
    for (const [keyword, indices] of this.keywordIndex) {
      if (lower.includes(keyword)) for (const i of indices) picked.add(i);
    }
    const out = [...picked].sort((a, b) => a - b);
    this.decoderRegexes.forEach((_, i) => out.push(this.rules.length + i));
    return out;
  }

  private accept(rule: CompiledRule, buf: Buffer, start: number, end: number, matchStart: number, matchEnd: number): Hit | null {
    if (end <= start) return null;
    const secret = buf.toString("utf8", start, end);
    const entropy = shannonEntropy(secret);
    if (entropy < rule.entropy) return null;
    if (rule.checksum && !rule.checksum(secret)) return null;
    if (!rule.def.skipPlaceholderFilter && isPlaceholder(secret)) return null;
    if (rule.allow.some((a) => a.test(secret))) return null;
    if (rule.allowMatch.length && rule.allowMatch.some((a) => a.test(buf.toString("utf8", matchStart, matchEnd)))) return null;
    return { rule, start, end, secret, entropy };
  }

  private toFinding(hit: Hit, fragment: Fragment, lines: LineIndex): Finding {
    const origin = fragment.origin;
    const lineBase = (origin.lineBase ?? 1) - 1;
    const columnBase = (origin.columnBase ?? 1) - 1;
    const from = lines.position(hit.start);
    const to = lines.position(hit.end);
    const span = lines.lineSpan(hit.start);
    const lineStart = span.end - span.start > LINE_TEXT_CAP ? Math.max(span.start, hit.start - LINE_TEXT_CAP / 2) : span.start;
    const lineEnd = span.end - span.start > LINE_TEXT_CAP ? Math.min(span.end, hit.end + LINE_TEXT_CAP / 2) : span.end;
    const secretSha256 = sha256Hex(hit.secret);
    const finding: Finding = {
      ruleId: hit.rule.id,
      ruleName: hit.rule.name,
      severity: hit.rule.severity,
      path: origin.path,
      startLine: from.line + lineBase,
      startColumn: from.column + (from.line === 1 ? columnBase : 0),
      endLine: to.line + lineBase,
      endColumn: to.column + (to.line === 1 ? columnBase : 0),
      preview: redactedPreview(hit.secret),
      secretSha256,
      fingerprint: fingerprintOf(hit.rule.id, secretSha256, origin.path),
      entropy: hit.entropy,
      secret: hit.secret,
      lineText: fragment.bytes.toString("utf8", lineStart, lineEnd),
    };
    if (hit.decodedFrom) finding.decodedFrom = hit.decodedFrom;
    if (origin.commit) finding.commit = origin.commit;
    if (origin.author) finding.author = origin.author;
    if (origin.date) finding.date = origin.date;
    if (origin.logicalLocation) finding.logicalLocation = origin.logicalLocation;
    return finding;
  }
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
