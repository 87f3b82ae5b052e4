import { createRequire } from "node:module";
import type { Ignore, Options } from "ignore";
import { compileRegex } from "../engine/regex.js";
import type { FindingFilter } from "./types.js";

/** `ignore` (gitignore semantics) is loaded on first use. */
export function createIgnore(options?: Options): Ignore {
  const factory = createRequire(import.meta.url)("ignore") as (options?: Options) => Ignore;
  return factory(options);
}

/** Config allowlists: gitignore-style path patterns, and RE2 patterns on the secret value. */
export function pathMatcher(patterns: readonly string[]): (relativePath: string) => boolean {
  if (patterns.length === 0) return () => false;
  const ig = createIgnore().add([...patterns]);
  return (relativePath) => {
    const p = relativePath.replace(/\\/g, "/").replace(/^\.\//, "");
    // `ignore` rejects paths outside the root (absolute or ../); they cannot match a relative pattern.
    if (!p || p.startsWith("/") || p.startsWith("../") || /^[A-Za-z]:/.test(p)) return false;
    return ig.ignores(p);
  };
}

export function pathAllowlistFilter(patterns: readonly string[]): FindingFilter {
  const matches = pathMatcher(patterns);
  return (finding) => !matches(finding.path);
}

export function valueAllowlistFilter(patterns: readonly string[]): FindingFilter {
  const regexes = patterns.map((p) => compileRegex(p));
  return (finding) => !regexes.some((re) => re.test(finding.secret));
}
