/**
 * Aho-Corasick over bytes, ASCII case-insensitive: one linear pass finds every occurrence of every
 * rule keyword. The detector then runs a rule only in small windows around its keywords' hits, so a
 * rule whose keyword is common (e.g. `key`) costs little, and no regex engine state can blow up.
 */
export class KeywordMatcher {
  /** Dense transition table: state * 256 + byte -> next state (failure links folded in). */
  private readonly delta: Int32Array;
  /** For each state, the keyword ids that end there (including via failure links), or undefined. */
  private readonly outputs: (number[] | undefined)[];
  readonly keywords: readonly string[];

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
    const goto: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    keywords.forEach((keyword, id) => {
      let state = 0;
      for (const byte of Buffer.from(keyword.toLowerCase(), "utf8")) {
        let next = goto[state]?.get(byte);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          out.push([]);
          goto[state]?.set(byte, next);
        }
        state = next;
      }
      out[state]?.push(id);
    });
    const states = goto.length;
    const delta = new Int32Array(states * 256);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let b = 0; b < 256; b++) {
      const next = goto[0]?.get(b);
      if (next !== undefined) {
        delta[b] = next;
        queue.push(next);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi] as number;
      const failOut = out[fail[s] as number] as number[];
      if (failOut.length) (out[s] as number[]).push(...failOut);
      for (let b = 0; b < 256; b++) {
        const next = goto[s]?.get(b);
        if (next !== undefined) {
          fail[next] = delta[(fail[s] as number) * 256 + b] as number;
          delta[s * 256 + b] = next;
          queue.push(next);
        } else {
          delta[s * 256 + b] = delta[(fail[s] as number) * 256 + b] as number;
        }
      }
    }
    // Case-insensitive: upper-case ASCII letters move like their lower-case twins.
    for (let s = 0; s < states; s++) {
      for (let b = 65; b <= 90; b++) delta[s * 256 + b] = delta[s * 256 + b + 32] as number;
    }
    this.delta = delta;
    this.outputs = out.map((o) => (o.length ? o : undefined));
  }

  /** Calls `onHit(keywordId, end)` for every occurrence; `end` is the byte offset after it. */
  scan(buf: Uint8Array, onHit: (keywordId: number, end: number) => void): void {
    const delta = this.delta;
    const outputs = this.outputs;
    let state = 0;
    for (let i = 0; i < buf.length; i++) {
      state = delta[(state << 8) | (buf[i] as number)] as number;
      const o = outputs[state];
      if (o !== undefined) for (const id of o) onHit(id, i + 1);
    }
  }
}
