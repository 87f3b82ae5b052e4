import type { KeywordMatcher } from "./keywords.js";
import { WASM_BASE64 } from "./wasm/prefilter-wasm.js";

/**
 * The per-byte pass of a scan: keyword hits (for the rule windows) and the runs where an encoded
 * blob can start (for the decoders), found together in one WebAssembly loop (see wasm/prefilter.wat).
 * Where WebAssembly is unavailable (`node --jitless`) it falls back to the JavaScript automaton and
 * reports no runs, and the decoders then scan the whole buffer: same results, slower.
 */
export interface PrefilterPass {
  /** `[keywordId, end, ...]` in order of end offset (see KeywordMatcher.scan). */
  hits: number[];
  /**
   * `[start, end, hex, ...]`: every maximal run of base64 body bytes `[A-Za-z0-9+/]` at least
   * `minRun` long, in order, with `hex` 1 when it holds `minHex` hex digits in a row; undefined when
   * this pass did not look (fallback).
   */
  runs: number[] | undefined;
}

/** The few WebAssembly types used here (the project's `lib` has no DOM types, where they live). */
interface WasmGlobal {
  value: number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface PrefilterExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  row: WasmGlobal;
  runStart: WasmGlobal;
  hexStart: WasmGlobal;
  hexSeen: WasmGlobal;
  runCount: WasmGlobal;
  scan(
    input: number,
    length: number,
    base: number,
    delta: number,
    firstOut: number,
    minRun: number,
    minHex: number,
    acOut: number,
    runOut: number,
  ): number;
}

/** Input bytes copied into WebAssembly memory per call (bounds the output areas too). */
const CHUNK = 256 * 1024;
/** Base64 body bytes (the run alphabet) and, among them, hex digits. */
const BODY = Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
const HEX = Buffer.from("0123456789abcdefABCDEF");

let wasmModule: object | null | undefined;
function prefilterModule(): object | null {
  if (wasmModule === undefined) {
    try {
      wasmModule = wasmApi ? new wasmApi.Module(Buffer.from(WASM_BASE64, "base64")) : null;
    } catch {
      wasmModule = null;
    }
  }
  return wasmModule ?? null;
}

export class Prefilter {
  private readonly exports?: PrefilterExports;
  private readonly layout = { delta: 0, input: 0, acOut: 0, runOut: 0, firstOut: 0 };

  constructor(
    private readonly matcher: KeywordMatcher,
    private readonly minRun: number,
    private readonly minHex: number,
    useWasm = true,
  ) {
    const module = useWasm ? prefilterModule() : null;
    if (!module || !wasmApi) return;
    const exports = new wasmApi.Instance(module).exports as PrefilterExports;
    const { classOf, delta, firstOutputRow } = matcher.tables;
    const align = (n: number) => Math.ceil(n / 8) * 8;
    const deltaAt = 512;
    const inputAt = align(deltaAt + delta.length * 4);
    const acOutAt = align(inputAt + CHUNK);
    // At most one automaton output per byte, and one run per (minRun + 1) bytes plus one.
    const runOutAt = acOutAt + CHUNK * 8;
    const end = runOutAt + (Math.floor(CHUNK / (minRun + 1)) + 2) * 12;
    const pages = Math.ceil(end / 65536) - exports.memory.buffer.byteLength / 65536;
    if (pages > 0) exports.memory.grow(pages);
    const bytes = new Uint8Array(exports.memory.buffer);
    bytes.set(classOf, 0);
    for (const b of BODY) bytes[256 + b] = 1;
    for (const b of HEX) bytes[256 + b] = 3;
    new Int32Array(exports.memory.buffer, deltaAt, delta.length).set(delta);
    this.layout = { delta: deltaAt, input: inputAt, acOut: acOutAt, runOut: runOutAt, firstOut: firstOutputRow };
    this.exports = exports;
  }

  /** True when the WebAssembly pass is in use. */
  get accelerated(): boolean {
    return this.exports !== undefined;
  }

  scan(buf: Uint8Array): PrefilterPass {
    const wasm = this.exports;
    if (!wasm) return { hits: this.matcher.scan(buf), runs: undefined };
    const { delta, input, acOut, runOut, firstOut } = this.layout;
    const { width, firstOutputRow, outputs } = this.matcher.tables;
    const memory = new Uint8Array(wasm.memory.buffer);
    const ints = new Int32Array(wasm.memory.buffer);
    const hits: number[] = [];
    const runs: number[] = [];
    wasm.row.value = 0;
    wasm.runStart.value = 0;
    wasm.hexStart.value = 0;
    wasm.hexSeen.value = 0;
    for (let base = 0; base < buf.length; base += CHUNK) {
      const part = buf.subarray(base, base + CHUNK);
      memory.set(part, input);
      const found = wasm.scan(input, part.length, base, delta, firstOut, this.minRun, this.minHex, acOut, runOut);
      for (let k = 0, at = acOut >> 2; k < found; k++, at += 2) {
        const end = ints[at] as number;
        const ids = outputs[((ints[at + 1] as number) - firstOutputRow) / (4 * width)] as number[];
        for (let j = 0; j < ids.length; j++) hits.push(ids[j] as number, end);
      }
      const runCount = wasm.runCount.value;
      for (let k = 0, at = runOut >> 2; k < runCount; k++, at += 3) {
        runs.push(ints[at] as number, ints[at + 1] as number, ints[at + 2] as number);
      }
    }
    const lastStart = wasm.runStart.value;
    if (buf.length - lastStart >= this.minRun) runs.push(lastStart, buf.length, wasm.hexSeen.value);
    return { hits, runs };
  }
}
