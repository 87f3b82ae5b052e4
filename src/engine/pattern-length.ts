/**
 * An upper bound on the bytes any match of an RE2 pattern can span, read off the pattern text, or
 * Infinity when a quantifier is unbounded (`*`, `+`, `{n,}`) or the syntax is not understood. The
 * detector uses it to size a rule's windows: a bounded rule needs no window wider than its longest
 * match around a keyword hit, and no stretching to the end of a long token.
 *
 * Deliberately coarse and always on the safe side: every character-consuming atom counts as 4 bytes
 * (the longest UTF-8 character; `(?i)k` also matches the 3-byte Kelvin sign), zero-width assertions
 * as 0.
 */
const CHAR = 4;
/** Sticky (`y`): matched at `lastIndex` without slicing the pattern (this runs at every start-up). */
const COUNTED = /\{(\d+)(,(\d*))?\}/y;
const GROUP_OPENING = /\?(?:P?<[^>]*>|[imsU-]*:|[imsU-]*\))/y;

function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

export function maxMatchLength(pattern: string): number {
  let i = 0;

  /** Alternatives up to `)` or the end: the longest one. */
  function alternation(): number {
    let best = sequence();
    while (pattern[i] === "|") {
      i++;
      best = Math.max(best, sequence());
    }
    return best;
  }

  function sequence(): number {
    let total = 0;
    while (i < pattern.length && pattern[i] !== "|" && pattern[i] !== ")") {
      const atomLength = atom();
      total += atomLength * quantifier();
    }
    return total;
  }

  /** The maximal repeat count of a quantifier after an atom (1 without one). */
  function quantifier(): number {
    let max = 1;
    for (;;) {
      const c = pattern[i];
      if (c === "*" || c === "+") {
        max = Number.POSITIVE_INFINITY;
        i++;
      } else if (c === "?") {
        i++;
      } else if (c === "{") {
        const m = matchAt(COUNTED, pattern, i);
        if (!m) return max; // a literal `{` (RE2 accepts it): counted as an atom next
        const upper = m[2] === undefined ? Number(m[1]) : m[3] === "" ? Number.POSITIVE_INFINITY : Number(m[3]);
        max = max === 0 ? 0 : max * upper;
        i += m[0].length;
      } else {
        return max;
      }
      // A lazy `?` after a quantifier changes nothing here.
      if (pattern[i] === "?") i++;
    }
  }

  function atom(): number {
    const c = pattern[i];
    if (c === "(") {
      i++;
      if (pattern[i] === "?") {
        // (?flags) sets flags: zero width. (?flags:...), (?:...), (?P<n>...), (?<n>...) group.
        const m = matchAt(GROUP_OPENING, pattern, i);
        if (!m) throw new Unsupported();
        i += m[0].length;
        if (m[0].endsWith(")")) return 0;
      }
      const inner = alternation();
      if (pattern[i] !== ")") throw new Unsupported();
      i++;
      return inner;
    }
    if (c === "[") {
      i++;
      if (pattern[i] === "^") i++;
      if (pattern[i] === "]") i++;
      while (i < pattern.length && pattern[i] !== "]") {
        if (pattern[i] === "\\") i++;
        else if (pattern[i] === "[" && pattern[i + 1] === ":") {
          const end = pattern.indexOf(":]", i + 2);
          if (end === -1) throw new Unsupported();
          i = end + 1;
        }
        i++;
      }
      if (pattern[i] !== "]") throw new Unsupported();
      i++;
      return CHAR;
    }
    if (c === "^" || c === "$") {
      i++;
      return 0;
    }
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) throw new Unsupported();
      if ("bBAz".includes(next)) {
        i += 2;
        return 0;
      }
      if (next === "Q") throw new Unsupported();
      if ((next === "p" || next === "P" || next === "x") && pattern[i + 2] === "{") {
        const end = pattern.indexOf("}", i + 3);
        if (end === -1) throw new Unsupported();
        i = end + 1;
        return CHAR;
      }
      if (next === "x") i += 4;
      else if (next === "p" || next === "P") i += 3;
      else i += 2;
      return CHAR;
    }
    i++;
    return CHAR;
  }

  try {
    const length = alternation();
    return i === pattern.length ? length : Number.POSITIVE_INFINITY;
  } catch (error) {
    if (error instanceof Unsupported) return Number.POSITIVE_INFINITY;
    throw error;
  }
}

class Unsupported extends Error {}
