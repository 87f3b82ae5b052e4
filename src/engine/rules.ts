import { checksumValidators } from "./checksum.js";
import { maxMatchLength } from "./pattern-length.js";
import { type CompiledRegex, compileRegex, FIRST_GROUP, RegexSyntaxError } from "./regex.js";
import type { RuleDefinition, Severity } from "./types.js";

/** A rule (built-in or the user's) is invalid: reported as a one-line config error naming the rule. */
export class RuleError extends Error {}

export interface CompiledRule {
  def: RuleDefinition;
  id: string;
  name: string;
  severity: Severity;
  keywords: string[];
  regex: CompiledRegex;
  secretGroup: number;
  entropy: number;
  allow: CompiledRegex[];
  allowMatch: CompiledRegex[];
  checksum?: (secret: string) => boolean;
  /** Generic (context + entropy) rules yield to a provider rule that found the same secret. */
  generic: boolean;
  /** How matches sit around keyword hits; read off the pattern on first use (start-up of hooks). */
  readonly shape: RuleShape;
  /** Bytes that must follow a keyword hit closely (see RuleDefinition.keywordFollowedBy), as a lookup table. */
  followedBy?: Uint8Array;
}

export interface RuleShape {
  /** True when every match starts with one of the keywords (`\b(ghp_...`): no window before a hit. */
  startsWithKeyword: boolean;
  /**
   * True when, in addition, a `\b` precedes that keyword: a hit right after a letter, digit or `_`
   * (inside a base64 blob, say) cannot start a match and opens no window.
   */
  boundaryBeforeKeyword: boolean;
  /** Upper bound on a match's length in bytes (Infinity when unbounded), see pattern-length.ts. */
  maxLength: number;
}

/** True when `|` occurs at group depth `maxDepth` or less (outside classes). */
function hasAlternationWithin(pattern: string, maxDepth: number): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth <= maxDepth) return true;
  }
  return false;
}

/**
 * Whether every match begins with one of the keywords: the pattern, after leading `(?i)`, `\b`, `(`
 * and `(?:`, starts with a keyword as plain literal text. Such a rule needs no window before a hit.
 */
export function patternStartsWithKeyword(pattern: string, keywords: readonly string[]): boolean {
  if (keywords.length === 0) return false;
  const prefix = leadingPrefix(pattern);
  // An alternation in any group opened by that prefix means some matches start elsewhere.
  if (hasAlternationWithin(pattern, (prefix.match(/\((?!\?i\))/g) ?? []).length)) return false;
  const rest = pattern.slice(prefix.length);
  return keywords.some((k) => {
    const literal = rest.slice(0, k.length);
    return !/[\\[\]().|?*+{}^$]/.test(literal) && literal.toLowerCase() === k;
  });
}

/** The leading `(?i)`, `\b`, `(` and `(?:` tokens of a pattern. */
function leadingPrefix(pattern: string): string {
  return /^(?:\(\?i\)|\\b|\((?:\?:)?)*/.exec(pattern)?.[0] ?? "";
}

function byteSet(chars: string): Uint8Array {
  const set = new Uint8Array(256);
  for (const b of Buffer.from(chars, "utf8")) set[b] = 1;
  return set;
}

const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];
const ID = /^[a-z0-9][a-z0-9._-]*$/;

/** `eager` compiles the pattern now so a syntax error is reported here; otherwise it compiles on first use. */
export function compileRule(def: RuleDefinition, origin = "rule", eager = true): CompiledRule {
  const where = `${origin} "${def?.id ?? "?"}"`;
  if (!def || typeof def !== "object") throw new RuleError(`${origin}: a rule must be a mapping`);
  if (typeof def.id !== "string" || !ID.test(def.id)) {
    throw new RuleError(`${where}: "id" must be lower-case letters, digits, ".", "_" or "-"`);
  }
  if (typeof def.pattern !== "string" || def.pattern.length === 0) {
    throw new RuleError(`${where}: "pattern" is required`);
  }
  const severity = def.severity ?? "high";
  if (!SEVERITIES.includes(severity)) throw new RuleError(`${where}: severity must be one of ${SEVERITIES.join(", ")}`);
  let regex: CompiledRegex;
  try {
    regex = compileRegex(def.pattern, eager);
  } catch (error) {
    if (error instanceof RegexSyntaxError) {
      throw new RuleError(`${where}: pattern does not compile under RE2: ${error.message}`);
    }
    throw error;
  }
  // Default: the first group that took part (patterns with alternatives capture in different groups).
  // FIRST_GROUP also means "the whole match" for a pattern without groups, so the default needs no
  // group count; an explicit group is checked against the pattern.
  const secretGroup = def.secretGroup ?? FIRST_GROUP;
  if (!Number.isInteger(secretGroup) || secretGroup < FIRST_GROUP || (def.secretGroup !== undefined && secretGroup > regex.groupCount)) {
    throw new RuleError(`${where}: secretGroup ${secretGroup} but the pattern has ${regex.groupCount} group(s)`);
  }
  const keywords = (def.keywords ?? []).map((k) => {
    if (typeof k !== "string" || k.length === 0) throw new RuleError(`${where}: keywords must be non-empty strings`);
    return k.toLowerCase();
  });
  // Keywords written with upper-case letters match case-sensitively (see Detector); the lower-cased
  // list drives the case-insensitive Aho-Corasick pass.
  const compileList = (list: string[] | undefined, field: string) =>
    (list ?? []).map((a) => {
      try {
        return compileRegex(a, eager);
      } catch (error) {
        throw new RuleError(`${where}: ${field} pattern ${JSON.stringify(a)} does not compile under RE2: ${(error as Error).message}`);
      }
    });
  const allow = compileList(def.allow, "allow");
  const allowMatch = compileList(def.allowMatch, "allowMatch");
  let checksum: ((s: string) => boolean) | undefined;
  if (def.checksum !== undefined) {
    checksum = checksumValidators[def.checksum];
    if (!checksum) throw new RuleError(`${where}: unknown checksum "${def.checksum}"`);
  }
  const entropy = def.entropy ?? 0;
  if (typeof entropy !== "number" || entropy < 0 || entropy > 8) throw new RuleError(`${where}: entropy must be a number from 0 to 8`);
  let shape: RuleShape | undefined;
  return {
    def,
    id: def.id,
    name: def.name || def.id,
    severity,
    keywords,
    regex,
    secretGroup,
    entropy,
    allow,
    allowMatch,
    checksum,
    generic: (def.tags ?? []).includes("generic"),
    get shape() {
      if (!shape) {
        const startsWithKeyword = patternStartsWithKeyword(def.pattern, keywords);
        shape = {
          startsWithKeyword,
          boundaryBeforeKeyword: startsWithKeyword && leadingPrefix(def.pattern).includes("\\b"),
          maxLength: maxMatchLength(def.pattern),
        };
      }
      return shape;
    },
    followedBy: def.keywordFollowedBy ? byteSet(def.keywordFollowedBy) : undefined,
  };
}
