import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/report/json.js";
import { makeContext, makeFinding, sampleFindings } from "./factory.js";

const BASE_KEYS = [
  "ruleId",
  "ruleName",
  "severity",
  "path",
  "startLine",
  "startColumn",
  "endLine",
  "endColumn",
  "preview",
  "secretSha256",
  "fingerprint",
  "entropy",
];

describe("renderJson", () => {
  it("produces a versioned document with tool, findings and stats", () => {
    const out = renderJson(makeContext(sampleFindings()));
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(["version", "tool", "findings", "stats"]);
    expect(doc.version).toBe(1);
    expect(doc.tool).toEqual({ name: "leakgate", version: "0.1.0" });
    expect(doc.stats).toEqual({ files: 42, bytes: 1536, skipped: 3, durationMs: 123 });
    expect(doc.findings).toHaveLength(4);
  });

  it("is pretty-printed with two spaces and ends with a newline", () => {
    const out = renderJson(makeContext([makeFinding()]));
    expect(out.endsWith("}\n")).toBe(true);
    expect(out.endsWith("\n\n")).toBe(false);
    expect(out).toContain('\n  "version": 1,');
    expect(out).toBe(`${JSON.stringify(JSON.parse(out), null, 2)}\n`);
  });

  it("orders finding keys, adding optional fields only when present", () => {
    const doc = JSON.parse(renderJson(makeContext(sampleFindings())));
    const byRule = new Map<string, Record<string, unknown>>(doc.findings.map((f: Record<string, unknown>) => [f.ruleId as string, f]));
    expect(Object.keys(byRule.get("github-pat-classic")!)).toEqual(BASE_KEYS);
    expect(Object.keys(byRule.get("aws-access-key-id")!)).toEqual([...BASE_KEYS, "commit", "author", "date"]);
    expect(Object.keys(byRule.get("generic-password")!)).toEqual([...BASE_KEYS, "decodedFrom", "logicalLocation"]);
    expect(byRule.get("generic-password")!.logicalLocation).toEqual({
      fullyQualifiedName: "session 1234 > record 7 > $.message.content[0]",
      kind: "object",
      record: 7,
    });
    const all = makeFinding({
      decodedFrom: "encoded:hex",
      commit: "abc",
      author: "A",
      date: "2024-01-01",
      logicalLocation: { fullyQualifiedName: "x" },
    });
    const [f] = JSON.parse(renderJson(makeContext([all]))).findings;
    expect(Object.keys(f)).toEqual([...BASE_KEYS, "decodedFrom", "commit", "author", "date", "logicalLocation"]);
  });

  it("rounds entropy to two decimals", () => {
    const [f] = JSON.parse(renderJson(makeContext([makeFinding({ entropy: 4.123456 })]))).findings;
    expect(f.entropy).toBe(4.12);
    const [g] = JSON.parse(renderJson(makeContext([makeFinding({ entropy: 3.999 })]))).findings;
    expect(g.entropy).toBe(4);
  });

  it("never includes the secret or lineText when redacting", () => {
    const findings = sampleFindings();
    const out = renderJson(makeContext(findings, { redact: true }));
    for (const f of findings) expect(out).not.toContain(f.secret);
    expect(out).not.toContain("lineText");
    expect(out).not.toContain("LINE-TEXT-MARKER");
    expect(out).not.toContain('"secret"');
    for (const f of JSON.parse(out).findings) expect(f).not.toHaveProperty("secret");
  });

  it("includes the secret (last) but still not lineText with redact false", () => {
    const findings = sampleFindings();
    const doc = JSON.parse(renderJson(makeContext(findings, { redact: false })));
    const secrets = doc.findings.map((f: { secret: string }) => f.secret).sort();
    expect(secrets).toEqual(findings.map((f) => f.secret).sort());
    for (const f of doc.findings) {
      expect(Object.keys(f).at(-1)).toBe("secret");
      expect(f).not.toHaveProperty("lineText");
    }
    expect(JSON.stringify(doc)).not.toContain("LINE-TEXT-MARKER");
  });

  it("sorts findings by path, line and column without mutating the input", () => {
    const a = makeFinding({ path: "b.txt", startLine: 2 });
    const b = makeFinding({ path: "a.txt", startLine: 9 });
    const c = makeFinding({ path: "b.txt", startLine: 1 });
    const input = [a, b, c];
    const doc = JSON.parse(renderJson(makeContext(input)));
    expect(doc.findings.map((f: { path: string; startLine: number }) => `${f.path}:${f.startLine}`)).toEqual([
      "a.txt:9",
      "b.txt:1",
      "b.txt:2",
    ]);
    expect(input).toEqual([a, b, c]);
  });

  it("renders an empty findings array", () => {
    const doc = JSON.parse(renderJson(makeContext([])));
    expect(doc.findings).toEqual([]);
  });
});
