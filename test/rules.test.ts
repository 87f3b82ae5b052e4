import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadBuiltinRules } from "../src/config/builtin-rules.js";
import { Detector } from "../src/engine/detector.js";
import { expandTemplates } from "../src/engine/templates.js";

/**
 * Every built-in rule carries its own true and false positives; this runs each one through the real
 * detector (decoding off, so an example must match the rule itself, not a decoded copy).
 */
const rules = loadBuiltinRules();

describe("rule catalog", () => {
  it("has at least 200 rules with unique ids", () => {
    expect(rules.length).toBeGreaterThanOrEqual(200);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it("compiles as one detector under RE2", () => {
    expect(() => new Detector(rules)).not.toThrow();
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      const detector = new Detector([rule], { decode: false });
      const hits = (text: string) =>
        detector.detect({ bytes: Buffer.from(text, "utf8"), origin: { path: "example.txt" } }).filter((f) => f.ruleId === rule.id);

      it("is documented", () => {
        expect(rule.name, "name").toBeTruthy();
        expect(rule.remediation, "remediation").toBeTruthy();
        expect(rule.examples?.length ?? 0, "examples").toBeGreaterThan(0);
        // Lower-case keywords match in any case; a keyword written with capitals matches exactly.
        for (const k of rule.keywords ?? []) expect(k.length).toBeGreaterThan(0);
      });

      it("finds every example and no negative", () => {
        for (const example of rule.examples ?? []) {
          const text = expandTemplates(example);
          expect(hits(text), `example: ${text}`).not.toHaveLength(0);
          if (rule.keywords?.length) {
            expect(
              rule.keywords.some((k) => (k === k.toLowerCase() ? text.toLowerCase().includes(k) : text.includes(k))),
              `example lacks every keyword: ${text}`,
            ).toBe(true);
          }
        }
        for (const negative of rule.negatives ?? []) {
          expect(hits(expandTemplates(negative)), `negative: ${negative}`).toHaveLength(0);
        }
      });
    });
  }
});

/**
 * Keyword selectivity guard (deterministic, no timing): on a fixed 1 MB+ sample of ordinary code and
 * docs, a provider rule's keywords must leave its regex to run over a small share of the bytes. A
 * keyword such as `ac` or `line` would make the rule run almost everywhere and slow every scan.
 */
describe("rule keyword selectivity", () => {
  const sample = Buffer.concat([
    readFileSync(new URL("../node_modules/typescript/lib/typescript.js", import.meta.url)).subarray(0, 1024 * 1024),
    readFileSync(new URL("../node_modules/vitest/README.md", import.meta.url)),
    readFileSync(new URL("../README.md", import.meta.url)),
  ]);
  const coverage = new Detector(rules, { decode: false, validate: false }).coverage(sample);
  for (const rule of rules.filter((r) => !(r.tags ?? []).includes("generic"))) {
    it(`${rule.id} runs on under 15% of ordinary code`, () => {
      expect(rule.keywords?.length ?? 0, "a provider rule needs keywords").toBeGreaterThan(0);
      expect((coverage.get(rule.id) ?? 0) / sample.length).toBeLessThan(0.15);
    });
  }
});
