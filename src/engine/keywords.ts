/**
 * Aho-Corasick over bytes, ASCII case-insensitive: one linear pass finds every occurrence of every
 * rule keyword. The detector then runs a rule only in small windows around its keywords' hits, so a
 * rule whose keyword is common costs little, and no regex engine state can blow up.
 */
export class KeywordMatcher {
  /** Dense transition table: state * 256 + byte -> next state (failure links folded in). */
  private readonly delta: Int32Array;
  /** For each state, the keyword ids that end there (including via failure links), or undefined. */
  private readonly outputs: (number[] | undefined)[];
  readonly keywords: readonly string[];

  /**
   * Rebuilds a matcher from `serialize()` output (a start-up cache kept by the caller), or returns
   * undefined when the data does not fit the keywords.
   */
  static deserialize(keywords: readonly string[], data: Buffer): KeywordMatcher | undefined {
    if (data.length < 8 || data.length % 4 !== 0) return undefined;
    // A view when the bytes are 4-byte aligned (a whole-file read is), else one copy.
    const ints =
      data.byteOffset % 4 === 0
        ? new Int32Array(data.buffer, data.byteOffset, data.length / 4)
        : new Int32Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length));
    const states = ints[0] as number;
    const outputsLength = ints[1] as number;
    if (states <= 0 || 2 + states * 256 + outputsLength !== ints.length) return undefined;
    const delta = ints.subarray(2, 2 + states * 256);
    const flat = ints.subarray(2 + states * 256);
    const outputs: (number[] | undefined)[] = new Array(states);
    // Flat outputs: for each state with outputs, [state, count, ids...].
    for (let i = 0; i < flat.length; ) {
      const state = flat[i] as number;
      const count = flat[i + 1] as number;
      outputs[state] = Array.from(flat.subarray(i + 2, i + 2 + count));
      i += 2 + count;
    }
    return new KeywordMatcher(keywords, { delta, outputs });
  }

  /** The built tables as bytes, for a start-up cache (see deserialize). */
  serialize(): Buffer {
    const flat: number[] = [];
    this.outputs.forEach((o, state) => {
      if (o) flat.push(state, o.length, ...o);
    });
    const ints = new Int32Array(2 + this.delta.length + flat.length);
    ints[0] = this.delta.length / 256;
    ints[1] = flat.length;
    ints.set(this.delta, 2);
    ints.set(flat, 2 + this.delta.length);
    return Buffer.from(ints.buffer);
  }

  constructor(keywords: readonly string[], prebuilt?: { delta: Int32Array; outputs: (number[] | undefined)[] }) {
    this.keywords = keywords;
    if (prebuilt) {
      this.delta = prebuilt.delta;
      this.outputs = prebuilt.outputs;
      return;
    }
    const encoded = keywords.map((k) => Buffer.from(k.toLowerCase(), "utf8"));
    const maxStates = encoded.reduce((n, k) => n + k.length, 0) + 1;
    const delta = new Int32Array(maxStates * 256).fill(-1);
    const out: number[][] = [[]];
    let states = 1;
    encoded.forEach((bytes, id) => {
      let state = 0;
      for (const byte of bytes) {
        const slot = state * 256 + byte;
        if ((delta[slot] as number) < 0) {
          delta[slot] = states++;
          out.push([]);
        }
        state = delta[slot] as number;
      }
      out[state]?.push(id);
    });
    // Breadth-first: fold failure links into the table so the scan never follows them.
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let b = 0; b < 256; b++) {
      const next = delta[b] as number;
      if (next > 0) queue.push(next);
      else delta[b] = 0;
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi] as number;
      const f = fail[s] as number;
      const failOut = out[f] as number[];
      if (failOut.length) (out[s] as number[]).push(...failOut);
      for (let b = 0; b < 256; b++) {
        const slot = s * 256 + b;
        const next = delta[slot] as number;
        if (next >= 0) {
          fail[next] = delta[f * 256 + b] as number;
          queue.push(next);
        } else {
          delta[slot] = delta[f * 256 + b] as number;
        }
      }
    }
    // Case-insensitive: upper-case ASCII letters move like their lower-case twins.
    for (let s = 0; s < states; s++) {
      for (let b = 65; b <= 90; b++) delta[s * 256 + b] = delta[s * 256 + b + 32] as number;
    }
    this.delta = delta.subarray(0, states * 256);
    this.outputs = out.map((o) => (o.length ? o : undefined));
  }

  /**
   * Every occurrence, in order of its end offset, as pairs in one flat array:
   * `[keywordId, end, keywordId, end, ...]` (`end` is the offset after the keyword).
   */
  scan(buf: Uint8Array): number[] {
    const delta = this.delta;
    const outputs = this.outputs;
    const hits: number[] = [];
    let state = 0;
    for (let i = 0; i < buf.length; i++) {
      state = delta[(state << 8) | (buf[i] as number)] as number;
      const o = outputs[state];
      if (o !== undefined) for (let j = 0; j < o.length; j++) hits.push(o[j] as number, i + 1);
    }
    return hits;
  }
}
