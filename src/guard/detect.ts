/**
 * The engine on the strings of one hook event, with the filters `leakgate scan` applies (inline
 * allow comments, config allowlists, `.leakgateignore`, the baseline).
 *
 * Start-up is most of a hook's cost: building the keyword automaton and the allow regexes of all
 * ~500 rules takes longer than scanning a 20 KB event. So the detector is built only from the rules
 * whose keywords occur in the event's text (and in the base64 / hex / percent-decoded runs the
 * engine will look into). A rule whose keywords are all absent can never run, so the result is the
 * one a full detector gives. The first pass also leaves out the rules' allow lists (see
 * `detectSecrets`), since clean text, the common case, never needs them.
 */
import { statSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { effectiveRules, type LeakgateConfig } from "../config/config.js";
import { decoders } from "../decode/index.js";
import { Detector } from "../engine/detector.js";
import { compileRegex } from "../engine/regex.js";
import type { Finding, RuleDefinition } from "../engine/types.js";
import { allowCommentFilter } from "../filters/allow-comment.js";
import { pathAllowlistFilter, valueAllowlistFilter } from "../filters/allowlist.js";
import { baselineFilter, readBaseline } from "../filters/baseline.js";
import { ignoreFingerprintFilter, readIgnoreFile } from "../filters/ignore-file.js";
import { applyFilters, type FindingFilter } from "../filters/types.js";
import { slashed } from "./glob.js";
import type { TextEntry } from "./strings.js";
import type { GuardFinding } from "./types.js";

/** The same names `leakgate scan` uses (src/scan.ts). */
const IGNORE_FILE_NAME = ".leakgateignore";
const DEFAULT_BASELINE_NAME = ".leakgate-baseline.json";

/** Decoded text looked at when choosing rules: the engine's own bounds (depth 2, 4 MiB). */
const MAX_DECODE_DEPTH = 2;
const MAX_DECODED_BYTES = 4 * 1024 * 1024;

let triggers: { decoder: (typeof decoders)[number]; regex: ReturnType<typeof compileRegex> }[] | undefined;

/** Appends `buf` and the decoded runs the engine would scan (recursively) to `parts`. */
function withDecoded(buf: Buffer, depth: number, budget: { bytes: number }, parts: Buffer[]): void {
  parts.push(buf);
  if (depth >= MAX_DECODE_DEPTH) return;
  triggers ??= decoders.map((decoder) => ({ decoder, regex: compileRegex(decoder.trigger, false) }));
  for (const { decoder, regex } of triggers) {
    for (const m of regex.spans(buf)) {
      if (budget.bytes <= 0) return;
      const start = m.start + (decoder.runStart?.(buf.subarray(m.start, m.end)) ?? 0);
      const decoded = decoder.decode(buf.subarray(start, m.end));
      if (!decoded) continue;
      budget.bytes -= decoded.length;
      withDecoded(decoded, depth + 1, budget, parts);
    }
  }
}

/** The rules whose keywords occur (ASCII case-insensitively) in `texts` or their decoded runs. */
export function rulesFor(rules: readonly RuleDefinition[], texts: readonly Buffer[]): RuleDefinition[] {
  const parts: Buffer[] = [];
  const budget = { bytes: MAX_DECODED_BYTES };
  for (const t of texts) withDecoded(t, 0, budget, parts);
  // latin1: one char per byte, so an ASCII keyword is found exactly where the byte scan finds it.
  const corpus = parts
    .map((p) => p.toString("latin1"))
    .join("\n")
    .toLowerCase();
  const trigrams = trigramSet(corpus);
  const present = new Map<string, boolean>();
  return rules.filter((rule) => {
    const keywords = rule.keywords ?? [];
    if (keywords.length === 0) return true;
    return keywords.some((k) => {
      const key = k.toLowerCase();
      // A non-ASCII keyword: keep the rule (latin1 lower-casing could differ from the engine's).
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range
      if (/[^\x00-\x7f]/.test(key)) return true;
      let hit = present.get(key);
      if (hit === undefined) {
        hit = hasTrigrams(trigrams, key) && corpus.includes(key);
        present.set(key, hit);
      }
      return hit;
    });
  });
}

/** Bit set of the 3-byte sequences (hashed to 21 bits) of `text`: most absent keywords fail it at once. */
function trigramSet(text: string): Uint8Array {
  const bits = new Uint8Array(1 << 18);
  for (let i = 2; i < text.length; i++) {
    const h = ((text.charCodeAt(i - 2) & 0x7f) << 14) | ((text.charCodeAt(i - 1) & 0x7f) << 7) | (text.charCodeAt(i) & 0x7f);
    bits[h >> 3] = (bits[h >> 3] as number) | (1 << (h & 7));
  }
  return bits;
}

/** False when some 3-byte sequence of `key` does not occur (then neither does `key`). */
function hasTrigrams(bits: Uint8Array, key: string): boolean {
  for (let i = 2; i < key.length; i++) {
    const h = ((key.charCodeAt(i - 2) & 0x7f) << 14) | ((key.charCodeAt(i - 1) & 0x7f) << 7) | (key.charCodeAt(i) & 0x7f);
    if ((((bits[h >> 3] as number) >> (h & 7)) & 1) === 0) return false;
  }
  return true;
}

function withoutAllowLists(rule: RuleDefinition): RuleDefinition {
  const { allow: _allow, allowMatch: _allowMatch, ...rest } = rule;
  return rest;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

/** The filter chain of `buildFilters` in src/scan.ts, without importing the file scanner. */
function guardFilters(config: LeakgateConfig, projectDir: string): FindingFilter[] {
  const filters: FindingFilter[] = [allowCommentFilter];
  const ignoreFile = readIgnoreFile(join(projectDir, IGNORE_FILE_NAME));
  const paths = [...config.allowPaths, ...(ignoreFile?.paths ?? [])];
  if (paths.length) filters.push(pathAllowlistFilter(paths));
  if (config.allowValues.length) filters.push(valueAllowlistFilter(config.allowValues));
  if (ignoreFile?.fingerprints.size) filters.push(ignoreFingerprintFilter(ignoreFile.fingerprints));
  const baselinePath = join(projectDir, DEFAULT_BASELINE_NAME);
  if (isFile(baselinePath)) {
    const baseline = readBaseline(baselinePath);
    if (baseline.size) filters.push(baselineFilter(baseline));
  }
  return filters;
}

/** A path for findings: relative to the project when inside it (so path allowlists apply), else absolute. */
export function displayPath(file: string, projectDir: string): string {
  const abs = isAbsolute(file) ? file : join(projectDir, file);
  const rel = relative(projectDir, abs);
  return slashed(rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : abs);
}

export interface DetectResult {
  findings: GuardFinding[];
  /** The secrets found, to cut out of a redacted copy (kept in memory only, never printed). */
  secrets: { secret: string; ruleId: string; preview: string }[];
  /** Locations whose finding came from decoded text: such a string is withheld whole. */
  decodedLocations: Set<string>;
  /** Every location holding a finding (the block policy withholds these strings). */
  locations: Set<string>;
}

/** Scans the strings; `fallbackPath` names findings whose text belongs to no file (`hook:Bash`). */
export function detectSecrets(
  entries: readonly TextEntry[],
  config: LeakgateConfig,
  projectDir: string,
  fallbackPath: string,
): DetectResult {
  const result: DetectResult = { findings: [], secrets: [], decodedLocations: new Set(), locations: new Set() };
  if (entries.length === 0) return result;
  // The same text often appears more than once (an Edit's old and new file): scan it once.
  const byText = new Map<string, TextEntry[]>();
  for (const e of entries) {
    const list = byText.get(e.text);
    if (list) list.push(e);
    else byText.set(e.text, [e]);
  }
  const buffers = [...byText.keys()].map((t) => Buffer.from(t, "utf8"));
  const rules = rulesFor(effectiveRules(config), buffers);
  if (rules.length === 0) return result;
  // First pass without the rules' allow lists (compiling them is a good part of a hook's start-up):
  // they only ever drop hits, so a string this pass finds clean is clean; a string with a hit is
  // scanned again with the complete rules.
  const hasAllowLists = rules.some((r) => r.allow?.length || r.allowMatch?.length);
  const quick = new Detector(hasAllowLists ? rules.map(withoutAllowLists) : rules, { validate: false });
  let full: Detector | undefined = hasAllowLists ? undefined : quick;
  const filters = guardFilters(config, projectDir);
  const seenSecrets = new Set<string>();
  let i = 0;
  for (const list of byText.values()) {
    const bytes = buffers[i++] as Buffer;
    const first = list[0] as TextEntry;
    const path = first.file ? displayPath(first.file, projectDir) : fallbackPath;
    const fragment = { bytes, origin: { path, logicalLocation: { fullyQualifiedName: first.location } } };
    if (quick !== full && quick.detect(fragment).length === 0) continue;
    full ??= new Detector(rules, { validate: false });
    const raw = full.detect(fragment);
    if (raw.length === 0) continue;
    const kept: Finding[] = applyFilters(raw, filters);
    for (const f of kept) {
      for (const e of list) {
        result.locations.add(e.location);
        if (f.decodedFrom) result.decodedLocations.add(e.location);
      }
      const finding: GuardFinding = {
        ruleId: f.ruleId,
        ruleName: f.ruleName,
        preview: f.preview,
        fingerprint: f.fingerprint,
        location: first.location,
        line: f.startLine,
        decoded: Boolean(f.decodedFrom),
      };
      if (first.file) finding.file = path;
      result.findings.push(finding);
      if (!seenSecrets.has(f.secret)) {
        seenSecrets.add(f.secret);
        result.secrets.push({ secret: f.secret, ruleId: f.ruleId, preview: f.preview });
      }
    }
  }
  return result;
}
