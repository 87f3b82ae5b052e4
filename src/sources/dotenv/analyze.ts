/**
 * `.env` analysis: every value is scanned on its own (provider rules, decoders); a sensitive key with a
 * literal value of enough entropy is a finding even when no provider rule knows the value; then the
 * whole file is scanned too (comments, lines that are not assignments) and the two are merged.
 */
import { basename } from "node:path";
import type { Detector } from "../../engine/detector.js";
import { shannonEntropy } from "../../engine/entropy.js";
import type { Finding, LogicalLocation, Origin } from "../../engine/types.js";
import { isSensitiveName, literalSpan } from "../mcp/sensitive.js";
import { TextIndex } from "../mcp/text.js";
import { detectInValue, mergeWithWholeFile, type Region, ruleById, type ScanContext, valueFindings } from "../mcp/value-scan.js";
import { isExampleDotenv, parseDotenv } from "./parse.js";

export const DOTENV_RULE = "dotenv-sensitive-value";

const FIX =
  "Keep .env files out of version control (.gitignore), commit a .env.example with placeholders, and load real values from a secret manager; then rotate the exposed value.";
const FIX_EXAMPLE = "Example files are shared: replace the value with a placeholder (KEY=your-value-here); then rotate the exposed value.";

/**
 * In an example file a named literal is reported only when it looks like a real credential rather
 * than filler: long, upper and lower case and digits, high entropy. Provider rules apply as everywhere.
 */
function looksReal(secret: string): boolean {
  return secret.length >= 20 && /[a-z]/.test(secret) && /[A-Z]/.test(secret) && /\d/.test(secret) && shannonEntropy(secret) >= 4;
}

export function analyzeDotenv(detector: Detector, bytes: Buffer, origin: Origin): Finding[] {
  const whole = detector.detect({ bytes, origin });
  try {
    return analyzeEntries(detector, bytes.toString("utf8"), origin, whole);
  } catch {
    // A bug in the analysis must not lose the file: its plain-scan findings stand.
    return whole;
  }
}

function analyzeEntries(detector: Detector, text: string, origin: Origin, whole: Finding[]): Finding[] {
  const entries = parseDotenv(text);
  if (entries.length === 0) return whole;
  const ctx: ScanContext = { detector, origin, index: new TextIndex(text) };
  const rule = ruleById(detector, DOTENV_RULE);
  const example = isExampleDotenv(origin.path);
  const file = basename(origin.path);
  const structured: Finding[] = [];
  const regions: Region[] = [];
  for (const entry of entries) {
    const location: LogicalLocation = {
      fullyQualifiedName: `${file} > ${entry.key}`,
      kind: "variable",
      file,
      key: entry.key,
      remediation: example ? FIX_EXAMPLE : FIX,
    };
    const site = { value: entry.value, map: entry.map, rawStart: entry.start, rawEnd: entry.end, location };
    let detected = detectInValue(ctx, site);
    if (example) detected = detected.filter((f) => !ruleById(detector, f.ruleId)?.generic);
    const candidates: { rule: NonNullable<typeof rule>; from: number; to: number }[] = [];
    if (rule && isSensitiveName(entry.key, rule)) {
      const span = literalSpan(entry.value, entry.key, rule);
      if (span && (!example || looksReal(entry.value.slice(span.start, span.end))))
        candidates.push({ rule, from: span.start, to: span.end });
    }
    for (const f of valueFindings(ctx, site, detected, candidates)) structured.push(f);
    regions.push({ start: entry.start, end: Math.max(entry.end, entry.start + 1), location, authoritative: rule !== undefined });
  }
  return mergeWithWholeFile(ctx, structured, whole, regions);
}
