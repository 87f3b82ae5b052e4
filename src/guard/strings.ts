/**
 * Every string of a hook event, with a readable location (`tool_input.edits[0].new_string`). A
 * string that is itself JSON (Copilot `toolArgs`, Cursor MCP `tool_input`, MCP results) is parsed
 * again and its strings are visited instead, so escapes do not hide a secret.
 */
import type { ScanTarget } from "./types.js";

export interface TextEntry {
  text: string;
  location: string;
  file?: string;
}

/** How many JSON-in-a-string levels are opened. */
const MAX_JSON_LEVELS = 4;
/** Nesting beyond this is not walked (a hook event is never this deep). */
const MAX_DEPTH = 256;
/** Strings shorter than this cannot hold a secret any rule reports. */
const MIN_LENGTH = 8;

/** The value of a string that looks like a JSON object or array, or undefined. */
export function parseJsonString(text: string): object | undefined {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  // Cheap test first: `{...}` or `[...]`, possibly with blanks around.
  const open = first === 0x7b || first === 0x5b || first <= 0x20;
  const close = last === 0x7d || last === 0x5d || last <= 0x20;
  if (!open || !close || text.length < 2) return undefined;
  const trimmed = text.trim();
  const a = trimmed[0];
  const b = trimmed[trimmed.length - 1];
  if (!((a === "{" && b === "}") || (a === "[" && b === "]"))) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function child(location: string, key: string | number): string {
  if (typeof key === "number") return `${location}[${key}]`;
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  return location ? `${location}.${safe}` : safe;
}

/** Appends the strings of `target` to `out`. */
export function collectStrings(target: ScanTarget, out: TextEntry[]): void {
  const visit = (value: unknown, location: string, depth: number, levels: number): void => {
    if (depth > MAX_DEPTH) return;
    if (typeof value === "string") {
      if (value.length < MIN_LENGTH) return;
      if (levels < MAX_JSON_LEVELS) {
        const inner = parseJsonString(value);
        if (inner !== undefined) {
          visit(inner, `${location}(json)`, depth + 1, levels + 1);
          return;
        }
      }
      out.push(target.file ? { text: value, location, file: target.file } : { text: value, location });
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, child(location, i), depth + 1, levels);
      });
      return;
    }
    if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) visit(item, child(location, key), depth + 1, levels);
    }
  };
  visit(target.value, target.pointer, 0, 0);
}

/** A secret to cut out of strings, and what to put in its place. */
export interface Cut {
  secret: string;
  marker: string;
}

/**
 * A copy of `value` with every occurrence of each secret replaced by its marker (also inside JSON in
 * a string, and in JSON-escaped form). A string listed in `withhold` (by location) is replaced whole
 * by `withheldText`: used when a secret was found in decoded text and cannot be cut out, and by the
 * block policy, which hides any string holding a secret.
 */
export function redactValue(
  value: unknown,
  location: string,
  cuts: readonly Cut[],
  withhold: ReadonlySet<string>,
  withheldText: string,
): unknown {
  // Longest first, so a secret containing another is cut whole.
  const ordered = [...cuts].sort((a, b) => b.secret.length - a.secret.length);
  const cutText = (text: string): string => {
    let out = text;
    for (const { secret, marker } of ordered) {
      if (out.includes(secret)) out = out.split(secret).join(marker);
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join(marker);
    }
    return out;
  };
  const visit = (v: unknown, loc: string, depth: number, levels: number): unknown => {
    if (depth > MAX_DEPTH) return v;
    if (typeof v === "string") {
      if (withhold.has(loc)) return withheldText;
      if (v.length >= MIN_LENGTH && levels < MAX_JSON_LEVELS) {
        const inner = parseJsonString(v);
        if (inner !== undefined) {
          const innerLoc = `${loc}(json)`;
          // A withheld location inside the JSON text: rebuild the JSON with that string replaced.
          const touched = [...withhold].some((w) => w.startsWith(innerLoc));
          if (touched) return JSON.stringify(visit(inner, innerLoc, depth + 1, levels + 1));
          return cutText(v);
        }
      }
      return cutText(v);
    }
    if (Array.isArray(v)) return v.map((item, i) => visit(item, child(loc, i), depth + 1, levels));
    if (typeof v === "object" && v !== null) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(v)) copy[key] = visit(item, child(loc, key), depth + 1, levels);
      return copy;
    }
    return v;
  };
  return visit(value, location, 0, 0);
}
