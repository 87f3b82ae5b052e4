/**
 * Path globs for `guard.denyRead`, with gitignore-like meaning:
 *
 * - a pattern without `/` matches a file name at any depth (`*.pem`, `.env`);
 * - `**\/x` matches `x` at any depth; `~/x` and `/x` are absolute; any other pattern with a `/` is
 *   relative to the project directory;
 * - `*` and `?` stay within one path segment, `**` crosses them, `{a,b}` picks one;
 * - `!pattern` re-allows what an earlier pattern denied; the last matching pattern wins.
 *
 * Matching ignores case: `.ENV` is as much a credential file as `.env` (and is the same file on
 * macOS and Windows).
 */
import { isAbsolute, resolve } from "node:path";

export interface PathRule {
  pattern: string;
  negated: boolean;
  regex: RegExp;
}

function escapeRegex(text: string): string {
  return text.replace(/[.+^$()|\\[\]{}*?]/g, "\\$&");
}

/** The regex body for one glob (no anchors). */
function globBody(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        // `**/` → any number of directories; a trailing `**` → anything.
        if (glob[i + 2] === "/") {
          out += "(?:[^/]*/)*";
          i += 2;
        } else {
          out += ".*";
          i += 1;
        }
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "{") {
      const close = glob.indexOf("}", i);
      if (close === -1) out += "\\{";
      else {
        out += `(?:${glob
          .slice(i + 1, close)
          .split(",")
          .map((alt) => globBody(alt))
          .join("|")})`;
        i = close;
      }
    } else out += escapeRegex(c);
  }
  return out;
}

/** Normalises a path for matching: forward slashes. */
export function slashed(path: string): string {
  return path.replace(/\\/g, "/");
}

export function compilePathRule(raw: string, projectDir: string, home: string): PathRule {
  const negated = raw.startsWith("!");
  let glob = slashed(negated ? raw.slice(1) : raw).trim();
  if (glob.endsWith("/")) glob += "**";
  let body: string;
  if (glob.startsWith("~/")) body = escapeRegex(slashed(home).replace(/\/$/, "")) + globBody(glob.slice(1));
  else if (glob.startsWith("/") || /^[A-Za-z]:\//.test(glob)) body = globBody(glob);
  else if (glob.startsWith("**/")) body = `(?:.*/)?${globBody(glob.slice(3))}`;
  else if (!glob.includes("/")) body = `(?:.*/)?${globBody(glob)}`;
  else body = `${escapeRegex(slashed(projectDir).replace(/\/$/, ""))}/${globBody(glob.replace(/^\.\//, ""))}`;
  return { pattern: raw, negated, regex: new RegExp(`^${body}$`, "i") };
}

export class PathPolicy {
  private readonly rules: PathRule[];
  constructor(
    patterns: readonly string[],
    private readonly projectDir: string,
    home: string,
  ) {
    this.rules = patterns.map((p) => compilePathRule(p, projectDir, home));
  }

  /** The pattern that denies `path` (absolute, or relative to the project), or undefined. */
  denies(path: string): string | undefined {
    const abs = slashed(isAbsolute(path) ? path : resolve(this.projectDir, path));
    let verdict: PathRule | undefined;
    for (const rule of this.rules) if (rule.regex.test(abs)) verdict = rule;
    return verdict && !verdict.negated ? verdict.pattern : undefined;
  }
}
