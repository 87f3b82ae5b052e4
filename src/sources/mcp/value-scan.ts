/**
 * Scanning parsed config values (MCP server fields, .env values) as fragments of their own, building
 * "sensitive name + literal value" findings, and merging both with a plain scan of the whole file.
 */
import type { Detector } from "../../engine/detector.js";
import { shannonEntropy } from "../../engine/entropy.js";
import { fingerprintOf, sha256Hex } from "../../engine/fingerprint.js";
import { redactedPreview } from "../../engine/redact.js";
import type { CompiledRule } from "../../engine/rules.js";
import type { Finding, Fragment, LogicalLocation, Origin } from "../../engine/types.js";
import { isAscii, type TextIndex, utf16IndexOfByte, type ValueMap } from "./text.js";

/** One parsed string value and where it sits in the file. */
export interface ValueSite {
  value: string;
  /** `map[i]`: raw text offset of the value's i-th UTF-16 unit; `map[value.length]` is its end. */
  map: ValueMap;
  /** Raw range of the whole token (quotes included), for matching whole-file findings to it. */
  rawStart: number;
  rawEnd: number;
  location: LogicalLocation;
}

export interface ScanContext {
  detector: Detector;
  origin: Origin;
  index: TextIndex;
}

/** Part of the file whose whole-file findings get a logical location (and, if `authoritative`, lose generic ones). */
export interface Region {
  start: number;
  end: number;
  location: LogicalLocation;
  /**
   * The structured analysis judged this value (a sensitive name, an argument, a URL, a reference
   * field): a generic rule's finding from the whole-file pass is dropped here, the structured verdict
   * stands. Provider findings are always kept.
   */
  authoritative: boolean;
}

const rulesCache = new WeakMap<Detector, Map<string, CompiledRule>>();

/** The detector's compiled rule with this id (undefined when disabled by the config). */
export function ruleById(detector: Detector, id: string): CompiledRule | undefined {
  let map = rulesCache.get(detector);
  if (!map) {
    map = new Map(detector.rules.map((r) => [r.id, r]));
    rulesCache.set(detector, map);
  }
  return map.get(id);
}

function isGeneric(detector: Detector, ruleId: string): boolean {
  return ruleById(detector, ruleId)?.generic ?? false;
}

function positionIn(ctx: ScanContext, site: ValueSite, index: number): { line: number; column: number } {
  const i = Math.max(0, Math.min(index, site.value.length));
  return ctx.index.position(site.map[i] as number);
}

/** Runs every rule (provider, generic, decoders) on the value alone, with physical positions. */
export function detectInValue(ctx: ScanContext, site: ValueSite): Finding[] {
  if (site.value.length === 0) return [];
  const bytes = Buffer.from(site.value, "utf8");
  const ascii = isAscii(site.value);
  const fragment: Fragment = {
    bytes,
    origin: { ...ctx.origin, logicalLocation: site.location },
    positionOf: (offset) => positionIn(ctx, site, utf16IndexOfByte(site.value, bytes, offset, ascii)),
    lineTextOf: (offset) => ctx.index.lineText(site.map[utf16IndexOfByte(site.value, bytes, offset, ascii)] ?? site.rawStart),
  };
  return ctx.detector.detect(fragment);
}

/** A finding for `site.value[from, to)` under `rule`, built as the detector builds its own. */
export function syntheticFinding(ctx: ScanContext, rule: CompiledRule, site: ValueSite, from: number, to: number): Finding {
  const secret = site.value.slice(from, to);
  const start = positionIn(ctx, site, from);
  const end = positionIn(ctx, site, to);
  const secretSha256 = sha256Hex(secret);
  const finding: Finding = {
    ruleId: rule.id,
    ruleName: rule.name,
    severity: rule.severity,
    path: ctx.origin.path,
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: end.column,
    preview: redactedPreview(secret),
    secretSha256,
    fingerprint: fingerprintOf(rule.id, secretSha256, ctx.origin.path),
    entropy: shannonEntropy(secret),
    secret,
    lineText: ctx.index.lineText(site.map[from] ?? site.rawStart),
    logicalLocation: site.location,
  };
  if (ctx.origin.commit) finding.commit = ctx.origin.commit;
  if (ctx.origin.author) finding.author = ctx.origin.author;
  if (ctx.origin.date) finding.date = ctx.origin.date;
  return finding;
}

/** UTF-16 range of a finding in the file. */
function rangeOf(ctx: ScanContext, f: Finding): [number, number] {
  return [ctx.index.offsetOf(f.startLine, f.startColumn), ctx.index.offsetOf(f.endLine, f.endColumn)];
}

function overlaps(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[1] && b[0] < a[1];
}

/**
 * The findings of one value: the detector's, plus a synthetic finding for each candidate span that no
 * provider rule already covers (a generic rule's finding on the same span gives way to it).
 */
export function valueFindings(
  ctx: ScanContext,
  site: ValueSite,
  detected: Finding[],
  candidates: { rule: CompiledRule; from: number; to: number }[],
): Finding[] {
  let out = detected;
  for (const c of candidates) {
    const span: [number, number] = [site.map[c.from] as number, site.map[c.to] as number];
    const clashing = out.filter((f) => overlaps(rangeOf(ctx, f), span));
    if (clashing.some((f) => !isGeneric(ctx.detector, f.ruleId))) continue;
    out = out.filter((f) => !clashing.includes(f));
    out.push(syntheticFinding(ctx, c.rule, site, c.from, c.to));
  }
  return out;
}

/**
 * Merges the structured findings with the detector's findings on the whole file (which catch what lies
 * outside the parsed values: comments, other settings, model-provider keys). A whole-file finding that
 * repeats a structured one (same fingerprint and position, or a provider rule on the same span) is
 * dropped; inside an authoritative region a generic one is dropped too; a provider finding replaces an
 * overlapping synthetic or generic one. Whole-file findings inside a region get its logical location.
 */
export function mergeWithWholeFile(ctx: ScanContext, structured: Finding[], whole: Finding[], regions: Region[]): Finding[] {
  const kept = [...structured];
  const ranges = new Map<Finding, [number, number]>(kept.map((f) => [f, rangeOf(ctx, f)]));
  for (const w of whole) {
    if (kept.some((s) => s.fingerprint === w.fingerprint && s.startLine === w.startLine && s.startColumn === w.startColumn)) continue;
    const range = rangeOf(ctx, w);
    // The innermost region holding the finding's start.
    let region: Region | undefined;
    for (const r of regions) {
      if (r.start <= range[0] && range[0] < r.end && (!region || r.end - r.start < region.end - region.start)) region = r;
    }
    const generic = isGeneric(ctx.detector, w.ruleId);
    const clashing = kept.filter((s) => overlaps(ranges.get(s) as [number, number], range));
    if (generic && (region?.authoritative || clashing.length > 0)) continue;
    if (!generic && clashing.some((s) => !isGeneric(ctx.detector, s.ruleId))) continue;
    for (const s of clashing) kept.splice(kept.indexOf(s), 1);
    const location = w.logicalLocation ?? clashing[0]?.logicalLocation ?? region?.location;
    const located: Finding = location && !w.logicalLocation ? { ...w, logicalLocation: location } : w;
    kept.push(located);
    ranges.set(located, range);
  }
  return kept;
}
