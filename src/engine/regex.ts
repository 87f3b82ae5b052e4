import { createRequire } from "node:module";
import type { RE2JS as RE2JSType } from "re2js";

/**
 * Regex facade. Every pattern (built-in or user-supplied) runs on RE2, which matches in linear time,
 * so no rule and no input can hang the scanner. The native `re2` addon is preferred; if it cannot be
 * loaded we fall back to the pure-JS port `re2js` (same guarantees, slower) and never to `RegExp`.
 * All offsets are byte offsets into the Buffer given.
 */

export interface Match {
  start: number;
  end: number;
  /** Byte span of the requested capture group (equals the match when group 0 or the group did not take part). */
  groupStart: number;
  groupEnd: number;
}

export interface CompiledRegex {
  /** Every non-overlapping match in `buf`. */
  matches(buf: Buffer, group: number): Match[];
  /** Start and end of every match, without capture groups (cheaper: RE2 skips submatch extraction). */
  spans(buf: Buffer): { start: number; end: number }[];
  /** True when the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  readonly groupCount: number;
}

export class RegexSyntaxError extends Error {}

/** Group selector meaning "the first capture group that took part in the match". */
export const FIRST_GROUP = -1;

interface NativeMatch extends Array<Buffer | undefined> {
  index: number;
  indices: Array<[number, number] | undefined>;
}
interface NativeRegex {
  lastIndex: number;
  exec(input: Buffer): NativeMatch | null;
  test(input: string): boolean;
}
interface NativeRE2 {
  new (pattern: string, flags?: string): NativeRegex;
}

const requireModule = createRequire(import.meta.url);
let re2jsModule: typeof RE2JSType | undefined;
/** The pure-JS engine is only loaded when needed (fallback), keeping start-up lean. */
function RE2JS(): typeof RE2JSType {
  re2jsModule ??= (requireModule("re2js") as { RE2JS: typeof RE2JSType }).RE2JS;
  return re2jsModule;
}

let native: NativeRE2 | null | undefined;
let fallbackWarning: string | undefined;

function loadNative(): NativeRE2 | null {
  if (native !== undefined) return native;
  if (process.env.LEAKGATE_REGEX_ENGINE === "re2js") {
    native = null;
    fallbackWarning = "LEAKGATE_REGEX_ENGINE=re2js: using the slower pure-JS re2js";
    return native;
  }
  try {
    native = requireModule("re2") as NativeRE2;
  } catch (error) {
    native = null;
    fallbackWarning = `native re2 could not be loaded (${(error as Error).message.split("\n")[0]}); using the slower pure-JS re2js`;
  }
  return native;
}

export function regexEngineName(): "re2" | "re2js" {
  return loadNative() ? "re2" : "re2js";
}

/** A one-line warning when the pure-JS fallback is in use because the addon failed to load. */
export function regexEngineWarning(): string | undefined {
  loadNative();
  return fallbackWarning;
}

/** Leading `(?flags)` is split off for re2js, which takes flags as an argument. */
function splitInlineFlags(pattern: string): { body: string; flags: number } {
  const m = /^\(\?([imsU]+)\)/.exec(pattern);
  if (!m) return { body: pattern, flags: 0 };
  const letters = m[1] as string;
  let flags = 0;
  if (letters.includes("i")) flags |= RE2JS().CASE_INSENSITIVE;
  if (letters.includes("m")) flags |= RE2JS().MULTILINE;
  if (letters.includes("s")) flags |= RE2JS().DOTALL;
  return { body: pattern.slice(m[0].length), flags };
}

/**
 * Number of capture groups, read off the pattern (RE2 syntax: `(?P<n>` and `(?<n>` capture, other
 * `(?` forms do not). Avoids compiling a second engine just to count groups.
 */
export function countGroups(pattern: string): number {
  let groups = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
    } else if (c === "[") {
      inClass = true;
      if (pattern[i + 1] === "^") i++;
      if (pattern[i + 1] === "]") i++;
    } else if (c === "(") {
      if (pattern[i + 1] !== "?") groups++;
      else if (pattern[i + 2] === "P" || (pattern[i + 2] === "<" && pattern[i + 3] !== "=" && pattern[i + 3] !== "!")) groups++;
    }
  }
  return groups;
}

/**
 * Native regexes by pattern, shared by every detector in the process: the guard builds a second
 * detector when its first pass finds something, and compiling a large pattern takes milliseconds.
 * Sharing is safe because `matches` resets `lastIndex` and runs to completion synchronously.
 */
const compiledPatterns = new Map<string, NativeRegex>();

/** Compiled on first use: a scan only pays for the rules whose keywords or Set entry fired. */
class NativeCompiled implements CompiledRegex {
  private groups?: number;
  private re?: NativeRegex;
  private tester?: NativeRegex;
  private spanner?: NativeRegex;
  constructor(
    private readonly R: NativeRE2,
    private readonly pattern: string,
    eager: boolean,
  ) {
    if (eager) this.compile();
  }
  /** Counted on demand: start-up of a hook compiles hundreds of rules and rarely needs it. */
  get groupCount(): number {
    this.groups ??= countGroups(this.pattern);
    return this.groups;
  }
  private compile(): NativeRegex {
    if (!this.re) {
      let re = compiledPatterns.get(this.pattern);
      if (!re) {
        try {
          re = new this.R(this.pattern, "gd");
        } catch (error) {
          throw new RegexSyntaxError((error as Error).message);
        }
        compiledPatterns.set(this.pattern, re);
      }
      this.re = re;
    }
    return this.re;
  }
  matches(buf: Buffer, group: number): Match[] {
    const out: Match[] = [];
    const re = this.compile();
    re.lastIndex = 0;
    for (;;) {
      const m = re.exec(buf);
      if (!m) break;
      const whole = m.indices[0] as [number, number];
      const g = (group === FIRST_GROUP ? m.indices.slice(1).find((x) => x !== undefined) : m.indices[group]) ?? whole;
      out.push({ start: whole[0], end: whole[1], groupStart: g[0], groupEnd: g[1] });
      if (whole[1] === whole[0]) re.lastIndex = whole[1] + 1;
    }
    return out;
  }
  spans(buf: Buffer): { start: number; end: number }[] {
    const out: { start: number; end: number }[] = [];
    this.spanner ??= new this.R(this.pattern, "g");
    const re = this.spanner;
    re.lastIndex = 0;
    for (;;) {
      const m = re.exec(buf);
      if (!m) break;
      const end = re.lastIndex;
      out.push({ start: m.index, end });
      if (end === m.index) re.lastIndex = end + 1;
    }
    return out;
  }
  test(text: string): boolean {
    this.tester ??= new this.R(this.pattern, "");
    return this.tester.test(text);
  }
}

class PureCompiled implements CompiledRegex {
  readonly groupCount: number;
  private readonly re: RE2JSType;
  constructor(pattern: string) {
    const { body, flags } = splitInlineFlags(pattern);
    try {
      this.re = RE2JS().compile(body, flags);
    } catch (error) {
      throw new RegexSyntaxError((error as Error).message);
    }
    this.groupCount = this.re.groupCount();
  }
  matches(buf: Buffer, group: number): Match[] {
    // latin1 maps each byte to one UTF-16 unit, so string offsets are byte offsets.
    const m = this.re.matcher(buf.toString("latin1"));
    const out: Match[] = [];
    while (m.find()) {
      const start = m.start();
      const end = m.end();
      let g = group;
      if (g === FIRST_GROUP) {
        g = 0;
        for (let i = 1; i <= this.groupCount; i++) {
          if (m.start(i) >= 0) {
            g = i;
            break;
          }
        }
      }
      const gs = g > 0 ? m.start(g) : start;
      const ge = g > 0 ? m.end(g) : end;
      out.push({ start, end, groupStart: gs >= 0 ? gs : start, groupEnd: ge >= 0 ? ge : end });
    }
    return out;
  }
  spans(buf: Buffer): { start: number; end: number }[] {
    return this.matches(buf, 0).map((m) => ({ start: m.start, end: m.end }));
  }
  test(text: string): boolean {
    return this.re.matcher(text).find();
  }
}

/** `eager` compiles now, so a syntax error surfaces here (user rules); otherwise on first use. */
export function compileRegex(pattern: string, eager = true): CompiledRegex {
  const R = loadNative();
  return R ? new NativeCompiled(R, pattern, eager) : new PureCompiled(pattern);
}
