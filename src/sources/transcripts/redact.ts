/**
 * Rewrites transcript text with every secret replaced by `[REDACTED:<ruleId>:<first 8 of sha256>]`.
 *
 * The marker holds no quote, backslash or control character, so it is valid inside a JSON string at
 * any JSON-in-a-string depth: replacing the raw (escaped) bytes of a secret keeps every record valid.
 * Each JSON record is checked with `JSON.parse` after its replacements; a replacement that would break
 * it is left out and counted. After the findings, remaining literal copies of each secret (plain or
 * JSON-escaped, e.g. in a key) are replaced too, under the same check.
 */
import type { Finding } from "../../engine/types.js";
import type { Doc } from "./scanner.js";

export function redactionMarker(ruleId: string, secretSha256: string): string {
  return `[REDACTED:${ruleId}:${secretSha256.slice(0, 8)}]`;
}

export interface Replacement {
  start: number;
  end: number;
  marker: Buffer;
}

export interface RedactResult {
  bytes: Buffer;
  /** Replacements made (findings and extra literal copies). */
  replaced: number;
  /** Replacements left out because they would have broken a JSON record. */
  unsafe: number;
}

/** Findings with byte offsets (from the scanners), sorted and merged when they overlap. */
export function planReplacements(located: readonly { finding: Finding; start: number; end: number }[]): Replacement[] {
  const reps = located
    .filter((l) => l.end > l.start)
    .map((l) => ({ start: l.start, end: l.end, marker: Buffer.from(redactionMarker(l.finding.ruleId, l.finding.secretSha256)) }))
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Replacement[] = [];
  for (const r of reps) {
    const last = merged[merged.length - 1];
    if (last && r.start < last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  return merged;
}

function apply(bytes: Buffer, start: number, end: number, reps: readonly Replacement[]): Buffer {
  const parts: Buffer[] = [];
  let at = start;
  for (const r of reps) {
    parts.push(bytes.subarray(at, r.start), r.marker);
    at = r.end;
  }
  parts.push(bytes.subarray(at, end));
  return Buffer.concat(parts);
}

function validJson(buf: Buffer): boolean {
  try {
    JSON.parse(buf.toString("utf8"));
    return true;
  } catch {
    return false;
  }
}

/** Literal forms a secret can take in JSON text: as is, JSON-escaped, with `\/`. */
function literalForms(secret: string): Buffer[] {
  const forms = new Set<string>([secret]);
  const escaped = JSON.stringify(secret).slice(1, -1);
  forms.add(escaped);
  forms.add(escaped.replace(/\//g, "\\/"));
  return [...forms].filter((f) => f.length >= 8).map((f) => Buffer.from(f, "utf8"));
}

/** Replacements for remaining literal copies of the secrets inside `doc` (after the planned ones). */
function literalReplacements(text: Buffer, secrets: readonly { forms: Buffer[]; marker: Buffer }[]): Replacement[] {
  const reps: Replacement[] = [];
  for (const s of secrets) {
    for (const form of s.forms) {
      let i = text.indexOf(form);
      while (i >= 0) {
        reps.push({ start: i, end: i + form.length, marker: s.marker });
        i = text.indexOf(form, i + form.length);
      }
    }
  }
  reps.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Replacement[] = [];
  for (const r of reps) {
    const last = merged[merged.length - 1];
    if (last && r.start < last.end) continue;
    merged.push(r);
  }
  return merged;
}

/**
 * Applies the replacements record by record. `docs`: the records of `bytes` (JSON records must stay
 * valid; a malformed record or a text file is rewritten as is). `json`: whether records are JSON.
 */
export function redactRecords(
  bytes: Buffer,
  docs: readonly Doc[],
  json: boolean,
  located: readonly { finding: Finding; start: number; end: number }[],
): RedactResult {
  const reps = planReplacements(located);
  const secrets = new Map<string, { forms: Buffer[]; marker: Buffer }>();
  for (const l of located) {
    if (!secrets.has(l.finding.secretSha256)) {
      secrets.set(l.finding.secretSha256, {
        forms: literalForms(l.finding.secret),
        marker: Buffer.from(redactionMarker(l.finding.ruleId, l.finding.secretSha256)),
      });
    }
  }
  const secretList = [...secrets.values()];
  const parts: Buffer[] = [];
  let at = 0;
  let replaced = 0;
  let unsafe = 0;
  let r = 0;
  // Records in order; bytes between them (newlines) are copied as they are.
  const spans = docs.length ? docs : [{ start: 0, end: bytes.length, malformed: true }];
  for (const doc of spans) {
    const mine: Replacement[] = [];
    while (r < reps.length && (reps[r] as Replacement).start < doc.start) r++;
    while (r < reps.length && (reps[r] as Replacement).end <= doc.end) mine.push(reps[r++] as Replacement);
    const check = json && !doc.malformed;
    const original = bytes.subarray(doc.start, doc.end);
    let text = original;
    if (mine.length) {
      const local = mine.map((m) => ({ ...m, start: m.start - doc.start, end: m.end - doc.start }));
      let next = apply(original, 0, original.length, local);
      if (check && !validJson(next)) {
        // One by one, keeping those that leave the record valid.
        next = original;
        let kept = 0;
        for (const m of local) {
          const shift = next.length - original.length;
          const candidate = apply(next, 0, next.length, [{ ...m, start: m.start + shift, end: m.end + shift }]);
          if (validJson(candidate)) {
            next = candidate;
            kept++;
          } else unsafe++;
        }
        replaced += kept;
      } else replaced += local.length;
      text = next;
    }
    // Remaining literal copies (keys, fields not scanned, forms a rule did not report).
    const extra = literalReplacements(text, secretList);
    if (extra.length) {
      const next = apply(text, 0, text.length, extra);
      if (!check || validJson(next)) {
        text = next;
        replaced += extra.length;
      } else unsafe += extra.length;
    }
    parts.push(bytes.subarray(at, doc.start), text);
    at = doc.end;
  }
  parts.push(bytes.subarray(at));
  return { bytes: Buffer.concat(parts), replaced, unsafe };
}
