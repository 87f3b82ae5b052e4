import { describe, expect, it } from "vitest";
import { renderText } from "../../src/report/text.js";
import { formatBytes } from "../../src/report/util.js";
import { makeContext, makeFinding, sampleFindings } from "./factory.js";

/** An ANSI CSI escape sequence. */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

describe("renderText", () => {
  it("prints rule, severity, location and preview for each finding", () => {
    const findings = sampleFindings();
    const out = renderText(makeContext(findings));
    for (const f of findings) {
      expect(out).toContain(`${f.path}:${f.startLine}:${f.startColumn}`);
      expect(out).toContain(f.preview);
      expect(out).toContain(f.ruleName);
      expect(out).toContain(`(${f.ruleId})`);
      expect(out).toContain(f.severity.toUpperCase());
    }
  });

  it("never prints the full secret or lineText when redacting", () => {
    const findings = sampleFindings();
    const out = renderText(makeContext(findings, { redact: true }));
    for (const f of findings) expect(out).not.toContain(f.secret);
    expect(out).not.toContain("LINE-TEXT-MARKER");
  });

  it("prints the full secret only with redact false (and still no lineText)", () => {
    const findings = sampleFindings();
    const out = renderText(makeContext(findings, { redact: false }));
    for (const f of findings) expect(out).toContain(f.secret);
    expect(out).not.toContain("LINE-TEXT-MARKER");
  });

  it("shows commit, author, date, logical location, decodedFrom and the first remediation line", () => {
    const out = renderText(makeContext(sampleFindings()));
    expect(out).toContain("0123456789abcdef0123456789abcdef01234567");
    expect(out).toContain("Jane Doe <jane@example.com>");
    expect(out).toContain("2024-05-01T10:00:00Z");
    expect(out).toContain("session 1234 > record 7 > $.message.content[0]");
    expect(out).toContain("encoded:base64");
    expect(out).toContain("hint:");
    expect(out).toContain("Revoke the token at https://github.com/settings/tokens and create a fine-grained one.");
    expect(out).not.toContain("Then audit the security log.");
    // Leading blank lines in the remediation are skipped.
    expect(out).toContain("Rotate the token if it is real.");
  });

  it("ends with the summary line", () => {
    const out = renderText(makeContext(sampleFindings()));
    const lines = out.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("4 findings in 42 files (1.5 KB scanned, 3 skipped) in 123 ms");
    expect(out.endsWith("\n")).toBe(true);
  });

  it("uses singular forms", () => {
    const out = renderText(makeContext([makeFinding()], { stats: { files: 1, bytes: 10, skipped: 0, durationMs: 1 } }));
    expect(out).toContain("1 finding in 1 file (10 B scanned, 0 skipped) in 1 ms");
  });

  it("says no secrets were found, plus the summary", () => {
    const out = renderText(makeContext([]));
    expect(out).toMatch(/no secrets found/i);
    expect(out).toContain("0 findings in 42 files (1.5 KB scanned, 3 skipped) in 123 ms");
    expect(out).not.toMatch(ANSI);
  });

  it("has no colour codes when color is false, and has them when true", () => {
    expect(renderText(makeContext(sampleFindings(), { color: false }))).not.toMatch(ANSI);
    expect(renderText(makeContext(sampleFindings(), { color: true }))).toMatch(ANSI);
    expect(renderText(makeContext([], { color: true }))).toMatch(ANSI);
  });

  it("escapes terminal control and bidi characters from untrusted fields", () => {
    const f = makeFinding({ path: "evil\u001b[31m\u202e.txt", author: "x\ny" });
    const out = renderText(makeContext([f]));
    expect(out).not.toMatch(ANSI);
    expect(out).not.toContain("\u202e");
    expect(out).toContain("evil\\x1b[31m\\u202e.txt");
    expect(out).toContain("x\\x0ay");
  });
});

describe("formatBytes", () => {
  it("is human readable", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1 KB");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5 MB");
    expect(formatBytes(123 * 1024 * 1024 * 1024)).toBe("123 GB");
  });
});
