/** Helpers shared by the reporters. */
import type { Finding, Severity } from "../engine/types.js";

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
};

function compareStrings(a: string, b: string): number {
  // Code-unit order: deterministic and locale independent.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Order used by every reporter: path, start line, start column, rule id, fingerprint. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.path, b.path) ||
    a.startLine - b.startLine ||
    a.startColumn - b.startColumn ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}

/** A sorted copy; the caller's array is left untouched. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareFindings);
}

/** Rounds to two decimals; non-finite values become 0. */
export function round2(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.round(value * 100) / 100;
}

/** First non-blank line, trimmed (empty string when there is none). */
export function firstLine(text: string | undefined): string {
  if (!text) return "";
  for (const line of text.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (trimmed !== "") return trimmed;
  }
  return "";
}

/** True for a non-empty string. */
export function present(value: string | undefined): value is string {
  return typeof value === "string" && value !== "";
}

const UNITS = ["B", "KB", "MB", "GB", "TB", "PB"] as const;

/** `0 B`, `512 B`, `1.5 KB`, `12 MB`... (1 KB = 1024 B). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return "0 B";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const shown = value < 10 ? value.toFixed(1) : String(Math.round(value));
  return `${shown.replace(/\.0$/, "")} ${UNITS[unit]}`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

// C0/C1 controls (newlines and tabs included), DEL, and the
// Unicode bidi / invisible formatting characters used in "trojan source" tricks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Makes untrusted text (paths, previews, commit metadata) safe to print on a
 * terminal: control and bidi characters are shown as `\xHH` / `\uHHHH` escapes.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Replaces lone surrogates with U+FFFD so the string can be percent-encoded. */
export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\ufffd");
}
