import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without types
import { assemble } from "../../scripts/build-wasm.mjs";
import { loadBuiltinRules } from "../../src/config/builtin-rules.js";
import { decoders, MIN_BODY_RUN, MIN_HEX_RUN, triggerWindows } from "../../src/decode/index.js";
import { Detector } from "../../src/engine/detector.js";
import { KeywordMatcher } from "../../src/engine/keywords.js";
import { Prefilter } from "../../src/engine/prefilter.js";
import { compileRegex } from "../../src/engine/regex.js";
import { WASM_BASE64 } from "../../src/engine/wasm/prefilter-wasm.js";

/** Deterministic pseudo-random numbers (xorshift), so a failure can be replayed. */
function random(seed: number) {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const PIECES = [
  "token",
  "api_key",
  "Secret",
  "EAA",
  "ghp_",
  " ",
  "\n",
  '"',
  "=",
  ": ",
  "Basic ",
  "%2F",
  "%41%42",
  "0123456789abcdef0123456789abcdef01",
  "QUtJQUlPU0ZPRE5ON0VYQU1QTEUgd2plZGtqc2Rr",
  "==",
  "https://x.example/?q=a%20b%3Dc&d=1",
  "é",
  "\u0000",
];

function mixture(seed: number, pieces: number): Buffer {
  const next = random(seed);
  const parts: string[] = [];
  for (let i = 0; i < pieces; i++) {
    if (next() < 0.3) parts.push(String.fromCharCode(32 + Math.floor(next() * 95)).repeat(1 + Math.floor(next() * 30)));
    else parts.push(PIECES[Math.floor(next() * PIECES.length)] as string);
  }
  return Buffer.from(parts.join(""), "utf8");
}

const keywords = [...new Set(loadBuiltinRules().flatMap((r) => (r.keywords ?? []).map((k) => k.toLowerCase())))];
const matcher = new KeywordMatcher(keywords);
const wasm = new Prefilter(matcher, MIN_BODY_RUN, MIN_HEX_RUN);

/** The runs the WebAssembly pass must report, computed the slow, obvious way. */
function expectedRuns(buf: Buffer): number[] {
  const body = /[A-Za-z0-9+/]+/g;
  const out: number[] = [];
  const text = buf.toString("latin1");
  for (let m = body.exec(text); m; m = body.exec(text)) {
    if (m[0].length >= MIN_BODY_RUN) out.push(m.index, m.index + m[0].length, /[0-9a-fA-F]{32}/.test(m[0]) ? 1 : 0);
  }
  return out;
}

describe("WebAssembly prefilter", () => {
  it("is assembled from the committed .wat source (run `npm run build:wasm` after editing it)", async () => {
    const generated: string = await assemble(join(import.meta.dirname, "../../src/engine/wasm/prefilter.wat"));
    expect(generated).toContain(WASM_BASE64);
  });

  it("is in use on this Node", () => {
    expect(wasm.accelerated).toBe(true);
  });

  it("finds the same keyword hits as the JavaScript automaton, and every long base64 run", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const buf = mixture(seed, 200);
      const pass = wasm.scan(buf);
      expect(pass.hits).toEqual(matcher.scan(buf));
      expect(pass.runs).toEqual(expectedRuns(buf));
    }
  });

  it("carries the automaton and runs across its 256 KiB chunks", () => {
    const chunk = 256 * 1024;
    // A keyword and a hex run each straddling a chunk boundary, and a run open at the buffer's end.
    const hex = "0123456789abcdef".repeat(4);
    const filler = "- ".repeat(chunk);
    const text = `${filler.slice(0, chunk - 3)}api_key ${filler.slice(0, chunk - 20)}${hex}${filler.slice(0, 100)}${hex}`;
    const buf = Buffer.from(text, "latin1");
    const pass = wasm.scan(buf);
    expect(pass.hits).toEqual(matcher.scan(buf));
    expect(pass.runs).toEqual(expectedRuns(buf));
    expect(pass.runs?.slice(-3)).toEqual([buf.length - hex.length, buf.length, 1]);
  });

  it("lets the decoder trigger run only in windows without missing any of its matches", () => {
    const trigger = compileRegex(decoders.map((d) => `(?:${d.trigger})`).join("|"), false);
    let matches = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const buf = mixture(seed, 120);
      const whole = trigger.spans(buf);
      const windows = triggerWindows(buf, wasm.scan(buf).runs as number[]);
      const windowed: { start: number; end: number }[] = [];
      for (let w = 0; w < windows.length; w += 2) {
        const from = windows[w] as number;
        for (const m of trigger.spans(buf.subarray(from, windows[w + 1]))) windowed.push({ start: from + m.start, end: from + m.end });
      }
      expect(windowed).toEqual(whole);
      matches += whole.length;
    }
    expect(matches).toBeGreaterThan(300);
  });

  it("gives the detector the same findings as the pure JavaScript path on every fixture", () => {
    const rules = loadBuiltinRules();
    const fast = new Detector(rules, { validate: false });
    const plain = new Detector(rules, { validate: false, webAssembly: false });
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(join(import.meta.dirname, "../../fixtures"));
    let findings = 0;
    for (const path of files) {
      const bytes = readFileSync(path);
      const a = fast.detect({ bytes, origin: { path } });
      const b = plain.detect({ bytes, origin: { path } });
      expect(a.map((f) => [f.ruleId, f.startLine, f.startColumn, f.decodedFrom])).toEqual(
        b.map((f) => [f.ruleId, f.startLine, f.startColumn, f.decodedFrom]),
      );
      findings += a.length;
    }
    expect(findings).toBeGreaterThan(20);
  });
});
