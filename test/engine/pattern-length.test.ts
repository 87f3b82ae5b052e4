import { describe, expect, it } from "vitest";
import { loadBuiltinRules } from "../../src/config/builtin-rules.js";
import { maxMatchLength } from "../../src/engine/pattern-length.js";
import { compileRegex } from "../../src/engine/regex.js";
import { expandTemplates } from "../../src/engine/templates.js";

describe("maxMatchLength", () => {
  it.each([
    ["abc", 12],
    ["a{3}", 12],
    ["a{2,5}b?", 24],
    ["(?:ab|cdef)", 16],
    ["\\b(ghp_[A-Za-z0-9]{36})\\b", 160],
    ["(?i)(?P<n>x)(?i:y)^$", 8],
    ["\\x{41}\\pL\\p{Greek}\\x41\\.", 20],
    ["[]a-z]{2}[^\\]]", 12],
    ["[[:alpha:]]{2}", 8],
    ["(?:a{2}){3}", 24],
  ])("bounds %s by %d bytes", (pattern, bound) => {
    expect(maxMatchLength(pattern)).toBe(bound);
  });

  it.each(["a*", "a+", "a{2,}", "(?:ab)+c", "\\Qa*\\E", "(?=x)", "(a|b"])("calls %s unbounded", (pattern) => {
    expect(maxMatchLength(pattern)).toBe(Number.POSITIVE_INFINITY);
  });

  it("bounds every example match of every built-in rule with a finite bound", () => {
    let checked = 0;
    for (const rule of loadBuiltinRules()) {
      const bound = maxMatchLength(rule.pattern);
      if (!Number.isFinite(bound)) continue;
      const regex = compileRegex(rule.pattern);
      for (const example of rule.examples ?? []) {
        for (const m of regex.matches(Buffer.from(expandTemplates(example), "utf8"), 0)) {
          expect(m.end - m.start, rule.id).toBeLessThanOrEqual(bound);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});
