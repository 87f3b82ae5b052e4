/**
 * Positions inside a config file held as a JS string (parsers report UTF-16 offsets), and maps from a
 * parsed (unescaped) string value back to the raw text it came from, so a finding inside one value
 * reports the physical line and column of the original file.
 */

import { lineIndexOf, lineStarts } from "../../engine/positions.js";

/** Line starts of a text; 1-based lines and 1-based UTF-16 columns (what editors and SARIF use). */
export class TextIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    this.starts = lineStarts(text, "\n");
  }

  private lineOf(offset: number): number {
    return lineIndexOf(this.starts, offset);
  }

  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    return { line: line + 1, column: offset - (this.starts[line] as number) + 1 };
  }

  /** UTF-16 offset of a 1-based line and column (as in a `Finding`). */
  offsetOf(line: number, column: number): number {
    const start = this.starts[Math.min(Math.max(line, 1), this.starts.length) - 1] as number;
    return start + column - 1;
  }

  /** The physical line holding `offset`, without its line break (capped for minified files). */
  lineText(offset: number): string {
    const line = this.lineOf(offset);
    const start = this.starts[line] as number;
    let end = line + 1 < this.starts.length ? (this.starts[line + 1] as number) - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end -= 1;
    if (end - start > 4096) return this.text.slice(Math.max(start, offset - 2048), Math.min(end, offset + 2048));
    return this.text.slice(start, end);
  }
}

/**
 * Where each UTF-16 unit of a parsed value sits in the raw text: `raw[i]` for `0 <= i <= value.length`
 * (`raw[value.length]` is the end of the value's content).
 */
export type ValueMap = Int32Array;

const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  e: "\x1b",
  "0": "\0",
  a: "\x07",
  v: "\v",
  " ": " ",
  "'": "'",
  N: "\u0085",
  _: "\u00a0",
  L: "\u2028",
  P: "\u2029",
};

/** Unescapes JSON / TOML basic / YAML double-quoted escapes, recording where each unit came from. */
function escapeWalk(text: string, from: number, to: number): { value: string; raw: number[] } {
  let value = "";
  const raw: number[] = [];
  let i = from;
  while (i < to) {
    const c = text[i] as string;
    if (c !== "\\" || i + 1 >= to) {
      value += c;
      raw.push(i);
      i++;
      continue;
    }
    const e = text[i + 1] as string;
    const hexLength = e === "u" ? 4 : e === "U" ? 8 : e === "x" ? 2 : 0;
    if (hexLength > 0) {
      const code = Number.parseInt(text.slice(i + 2, i + 2 + hexLength), 16);
      const decoded = Number.isNaN(code) || code > 0x10ffff ? e : String.fromCodePoint(code);
      for (let k = 0; k < decoded.length; k++) raw.push(i);
      value += decoded;
      i += 2 + hexLength;
      continue;
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      value += simple;
      raw.push(i);
      i += 2;
      continue;
    }
    // Line continuation (TOML `\` at end of line, YAML escaped line break): skip the break and indentation.
    if (e === "\n" || e === "\r") {
      i += 2;
      while (i < to && /[\s]/.test(text[i] as string)) i++;
      continue;
    }
    value += e;
    raw.push(i);
    i += 2;
  }
  return { value, raw };
}

/**
 * Aligns `value` with `text[from, to)` character by character, skipping raw characters that are not in
 * the value (indentation of block scalars, doubled quotes, escapes the walk did not know). Good enough
 * for the rare multi-line or oddly escaped value; exact for everything else.
 */
function greedyAlign(text: string, from: number, to: number, value: string): number[] {
  const raw: number[] = [];
  let j = from;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    let k = j;
    const limit = Math.min(to, j + 64);
    while (k < limit && text[k] !== c) k++;
    if (k < limit) {
      raw.push(k);
      j = k + 1;
    } else raw.push(Math.min(j, Math.max(from, to - 1)));
  }
  return raw;
}

/**
 * Maps a parsed string value to `text[from, to)` (its raw content, quotes excluded). Tries, in order:
 * the raw text is the value; unescaping the raw text gives the value; a greedy alignment.
 */
export function buildValueMap(text: string, from: number, to: number, value: string, escapes: boolean): ValueMap {
  const map = new Int32Array(value.length + 1);
  if (to - from === value.length && text.startsWith(value, from)) {
    for (let i = 0; i <= value.length; i++) map[i] = from + i;
    return map;
  }
  let raw: number[] | undefined;
  if (escapes) {
    const walked = escapeWalk(text, from, to);
    if (walked.value === value) raw = walked.raw;
  }
  raw ??= greedyAlign(text, from, to, value);
  for (let i = 0; i < value.length; i++) map[i] = raw[i] as number;
  map[value.length] = to;
  return map;
}

/** A map for a value whose raw location is unknown: everything points at `at`. */
export function pointMap(value: string, at: number): ValueMap {
  return new Int32Array(value.length + 1).fill(at);
}

/** True when every UTF-16 unit is ASCII (byte offsets then equal string offsets). */
function asciiOnly(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** UTF-16 index in `value` of a byte offset into its UTF-8 encoding. */
export function utf16IndexOfByte(value: string, bytes: Buffer, byteOffset: number, ascii = asciiOnly(value)): number {
  if (ascii) return byteOffset;
  return bytes.toString("utf8", 0, byteOffset).length;
}

export function isAscii(text: string): boolean {
  return asciiOnly(text);
}
