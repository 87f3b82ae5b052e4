import { base64Decoder } from "./base64.js";
import { hexDecoder } from "./hex.js";
import { percentDecoder } from "./percent.js";
import type { Decoder } from "./types.js";

export type { DecodedRun, Decoder } from "./types.js";
/** In claim order: a run with `%XX` is percent-encoded, an all-hex run is hex, anything else base64. */
export const decoders: readonly Decoder[] = [percentDecoder, hexDecoder, base64Decoder];

/**
 * Where the combined trigger can match, so that it need not run over every byte. The per-byte pass
 * (engine/prefilter.ts) reports the maximal runs of base64 body bytes `[A-Za-z0-9+/]` of at least
 * MIN_BODY_RUN bytes, flagged when they hold MIN_HEX_RUN hex digits in a row. A hex match lies in a
 * flagged run. A base64 match is a delimiter (`"`, `'`, `=`, `:` and up to three blanks, `Basic `),
 * which is not a body byte, then 22+ body bytes: so it starts a run, right after that delimiter, and
 * ends at most two `=` after it. Percent matches lie inside a run of URL bytes containing `%`.
 */
export const MIN_BODY_RUN = 22;
export const MIN_HEX_RUN = 32;
const RUN_LEAD = 8;
const RUN_TAIL = 2;
/** Bytes the percent trigger can span (its class plus `%`), and the shortest such match. */
const PERCENT_RUN = new Uint8Array(256);
for (const b of Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~+:/@=&?!$-%")) PERCENT_RUN[b] = 1;
const MIN_PERCENT_RUN = 13;

const BLANK = new Uint8Array(256);
for (const b of Buffer.from(" \t\n\r\f\v")) BLANK[b] = 1;
const BASIC = Buffer.from("Basic");

/** Whether the base64 trigger's delimiter can end right before `start`. */
function delimitedAt(buf: Buffer, start: number): boolean {
  if (start === 0) return false;
  const before = buf[start - 1] as number;
  if (before === 0x22 || before === 0x27 || before === 0x3d || before === 0x3a) return true;
  if (BLANK[before] !== 1) return false;
  if (start >= 6 && buf.subarray(start - 6, start - 1).equals(BASIC)) return true;
  let i = start - 1;
  while (i > 0 && start - i <= 3 && BLANK[buf[i - 1] as number] === 1) i--;
  return i > 0 && buf[i - 1] === 0x3a;
}

/**
 * Merged `[from, to, ...]` windows of `buf` that contain every match of the combined trigger, given
 * the body runs as `[start, end, hex, ...]` triples.
 */
export function triggerWindows(buf: Buffer, bodyRuns: readonly number[]): number[] {
  const windows: number[] = [];
  const add = (from: number, to: number) => {
    const last = windows.length - 1;
    if (last > 0 && from <= (windows[last] as number)) {
      if (to > (windows[last] as number)) windows[last] = to;
    } else windows.push(from, to);
  };
  // Percent runs, in order, to be merged with the body runs (also in order).
  const percent: number[] = [];
  for (let at = buf.indexOf(0x25); at !== -1; ) {
    let from = at;
    while (from > 0 && PERCENT_RUN[buf[from - 1] as number] === 1) from--;
    let to = at + 1;
    while (to < buf.length && PERCENT_RUN[buf[to] as number] === 1) to++;
    if (to - from >= MIN_PERCENT_RUN) percent.push(from, to);
    at = to < buf.length ? buf.indexOf(0x25, to) : -1;
  }
  let p = 0;
  for (let r = 0; r < bodyRuns.length; r += 3) {
    const start = bodyRuns[r] as number;
    if (bodyRuns[r + 2] !== 1 && !delimitedAt(buf, start)) continue;
    const from = Math.max(0, start - RUN_LEAD);
    while (p < percent.length && (percent[p] as number) <= from) {
      add(percent[p] as number, percent[p + 1] as number);
      p += 2;
    }
    add(from, Math.min(buf.length, (bodyRuns[r + 1] as number) + RUN_TAIL));
  }
  for (; p < percent.length; p += 2) add(percent[p] as number, percent[p + 1] as number);
  return windows;
}
