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

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
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
