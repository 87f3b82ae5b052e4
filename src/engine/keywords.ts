/**
 * Aho-Corasick over bytes, ASCII case-insensitive: one linear pass finds every occurrence of every
 * rule keyword. The detector then runs a rule only in small windows around its keywords' hits, so a
 * rule whose keyword is common costs little, and no regex engine state can blow up.
 *
 * The automaton is a dense table over byte *classes*, not bytes: only the ~50 distinct bytes that occur
 * in keywords get a class of their own, every other byte shares class 0. That shrinks the table from
 * states × 256 to states × ~50 entries, which keeps the rows the scan touches in the CPU cache
 * (measured: the 256-wide table made this pass ~3× slower on a node_modules tree).
 */
export class KeywordMatcher {
  readonly keywords: readonly string[];
  /** byte → class (0: a byte that occurs in no keyword). Upper-case ASCII shares its lower-case class. */
  private readonly classOf: Uint8Array;
  /** Number of classes: the width of a row. */
  private readonly width: number;
  /**
   * Transition table: `delta[row / 4 + class]` is the next state's row, as a byte offset
   * (`state * width * 4`): the form the WebAssembly pass adds to its table address directly.
   */
  private readonly delta: Int32Array;
  /** States are numbered so that the ones with outputs come last: their rows start here. */
  private readonly firstOutputRow: number;
  /** Keyword ids ending at each output state (failure links included), by `(row - firstOutputRow) / (4 * width)`. */
  private readonly outputs: number[][];

  constructor(keywords: readonly string[], prebuilt?: Tables) {
    this.keywords = keywords;
    const tables = prebuilt ?? buildTables(keywords);
    this.classOf = tables.classOf;
    this.width = tables.width;
    this.delta = tables.delta;
    this.firstOutputRow = tables.firstOutputRow;
    this.outputs = tables.outputs;
  }

  get tables(): Readonly<Tables> {
    const { classOf, width, delta, firstOutputRow, outputs } = this;
    return { classOf, width, delta, firstOutputRow, outputs };
  }

  /**
   * Every occurrence, in order of its end offset, as pairs in one flat array:
   * `[keywordId, end, keywordId, end, ...]` (`end` is the offset after the keyword).
   */
  scan(buf: Uint8Array): number[] {
    const delta = this.delta;
    const classOf = this.classOf;
    const firstOutputRow = this.firstOutputRow;
    const hits: number[] = [];
    let row = 0;
    for (let i = 0; i < buf.length; i++) {
      row = delta[(row >> 2) + (classOf[buf[i] as number] as number)] as number;
      if (row >= firstOutputRow) {
        const o = this.outputs[(row - firstOutputRow) / (4 * this.width)] as number[];
        for (let j = 0; j < o.length; j++) hits.push(o[j] as number, i + 1);
      }
    }
    return hits;
  }

  /** The built tables as bytes, for a start-up cache kept by the caller (see `deserialize`). */
  serialize(): Buffer {
    const flat: number[] = [];
    for (const o of this.outputs) flat.push(o.length, ...o);
    const header = [this.width, this.delta.length, this.firstOutputRow, flat.length];
    const ints = new Int32Array(header.length + 256 + this.delta.length + flat.length);
    ints.set(header, 0);
    ints.set(this.classOf, header.length);
    ints.set(this.delta, header.length + 256);
    ints.set(flat, header.length + 256 + this.delta.length);
    return Buffer.from(ints.buffer);
  }

  /** Rebuilds a matcher from `serialize()` output, or returns undefined when the data does not fit. */
  static deserialize(keywords: readonly string[], data: Buffer): KeywordMatcher | undefined {
    if (data.length < 16 + 1024 || data.length % 4 !== 0) return undefined;
    // A view when the bytes are 4-byte aligned (a whole-file read is), else one copy.
    const ints =
      data.byteOffset % 4 === 0
        ? new Int32Array(data.buffer, data.byteOffset, data.length / 4)
        : new Int32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
    const [width, deltaLength, firstOutputRow, flatLength] = ints as unknown as [number, number, number, number];
    if (width <= 0 || width > 256 || deltaLength % width !== 0 || 4 + 256 + deltaLength + flatLength !== ints.length) {
      return undefined;
    }
    const classOf = Uint8Array.from(ints.subarray(4, 260));
    const delta = ints.subarray(260, 260 + deltaLength);
    const flat = ints.subarray(260 + deltaLength);
    const outputs: number[][] = [];
    for (let i = 0; i < flat.length; ) {
      const count = flat[i] as number;
      outputs.push(Array.from(flat.subarray(i + 1, i + 1 + count)));
      i += 1 + count;
    }
    if (outputs.length !== (4 * deltaLength - firstOutputRow) / (4 * width)) return undefined;
    return new KeywordMatcher(keywords, { classOf, width, delta, firstOutputRow, outputs });
  }
}

/** The automaton's tables (read-only), for the WebAssembly pass in prefilter.ts. */
export interface Tables {
  classOf: Uint8Array;
  width: number;
  delta: Int32Array;
  firstOutputRow: number;
  outputs: number[][];
}

function buildTables(keywords: readonly string[]): Tables {
  const encoded = keywords.map((k) => Buffer.from(k.toLowerCase(), "utf8"));
  const classOf = new Uint8Array(256);
  let width = 1;
  for (const bytes of encoded) {
    for (const byte of bytes) if (classOf[byte] === 0) classOf[byte] = width++;
  }
  if (width > 256) throw new Error("keyword alphabet too large");
  // Case-insensitive: upper-case ASCII letters move like their lower-case twins.
  for (let b = 65; b <= 90; b++) classOf[b] = classOf[b + 32] as number;

  // Trie over classes (-1: no edge yet).
  const maxStates = encoded.reduce((n, k) => n + k.length, 0) + 1;
  const trie = new Int32Array(maxStates * width).fill(-1);
  const out: number[][] = [[]];
  let states = 1;
  encoded.forEach((bytes, id) => {
    let state = 0;
    for (const byte of bytes) {
      const slot = state * width + (classOf[byte] as number);
      if ((trie[slot] as number) < 0) {
        trie[slot] = states++;
        out.push([]);
      }
      state = trie[slot] as number;
    }
    out[state]?.push(id);
  });

  // Breadth-first: fold failure links into the table so the scan never follows them.
  const fail = new Int32Array(states);
  const queue: number[] = [];
  for (let c = 0; c < width; c++) {
    const next = trie[c] as number;
    if (next > 0) queue.push(next);
    else trie[c] = 0;
  }
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi] as number;
    const f = fail[s] as number;
    const failOut = out[f] as number[];
    if (failOut.length) (out[s] as number[]).push(...failOut);
    for (let c = 0; c < width; c++) {
      const slot = s * width + c;
      const next = trie[slot] as number;
      if (next >= 0) {
        fail[next] = trie[f * width + c] as number;
        queue.push(next);
      } else {
        trie[slot] = trie[f * width + c] as number;
      }
    }
  }

  // Renumber: states without outputs first (the root stays 0), so "has output" is one comparison;
  // within each group in breadth-first order, so the shallow states most bytes visit share a few
  // pages and cache lines.
  const bfs = [0, ...queue];
  const order = bfs.filter((s) => (out[s] as number[]).length === 0);
  const firstOutputState = order.length;
  order.push(...bfs.filter((s) => (out[s] as number[]).length > 0));
  const renumbered = new Int32Array(states);
  order.forEach((old, index) => {
    renumbered[old] = index;
  });
  const delta = new Int32Array(states * width);
  order.forEach((old, index) => {
    for (let c = 0; c < width; c++) {
      delta[index * width + c] = (renumbered[trie[old * width + c] as number] as number) * width * 4;
    }
  });
  const outputs = order.slice(firstOutputState).map((old) => out[old] as number[]);
  return { classOf, width, delta, firstOutputRow: firstOutputState * width * 4, outputs };
}
