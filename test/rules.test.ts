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
        for (const k of rule.keywords ?? []) expect(k).toBe(k.toLowerCase());
      });

      it("finds every example and no negative", () => {
        for (const example of rule.examples ?? []) {
          const text = expandTemplates(example);
          expect(hits(text), `example: ${text}`).not.toHaveLength(0);
          if (rule.keywords?.length) {
            expect(
              rule.keywords.some((k) => text.toLowerCase().includes(k)),
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
