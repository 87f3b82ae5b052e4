import { describe, expect, it } from "vitest";
import {
  type ActionFinding,
  annotation,
  annotations,
  escapeData,
  escapeProperty,
  findingsFromSarif,
  logLine,
  MAX_ANNOTATIONS,
  markdownCell,
  outputLines,
  renderSummary,
  type SummaryContext,
} from "../../src/action/report.js";
import { buildSarif } from "../../src/report/sarif.js";
import { makeFinding } from "../report/factory.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";
/** What a reader sees: numeric character references decoded. */
const rendered = (text: string) => text.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

function finding(overrides: Partial<ActionFinding> = {}): ActionFinding {
  return {
    ruleId: "github-pat-classic",
    ruleName: "GitHub personal access token (classic)",
    severity: "critical",
    path: "src/config.ts",
    startLine: 12,
    startColumn: 18,
    endLine: 12,
    endColumn: 58,
    preview: "ghp_…a1b2",
    commit: SHA,
    ...overrides,
  };
}

const CONTEXT: SummaryContext = {
  description: "pull request #42 (1a2b3c4d5e6f..9f3c1d2e4b5a)",
  mode: "diff",
  commits: 3,
  repositoryUrl: "https://github.com/octo-org/app",
  failed: true,
};

describe("workflow command escaping", () => {
  it("escapes data and properties as GitHub's toolkit does", () => {
    expect(escapeData("50% done\r\nnext")).toBe("50%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%d\ne")).toBe("a%3Ab%2Cc%25d%0Ae");
  });

  it("writes one ::error per finding, with file, line, columns and title escaped", () => {
    const line = annotation(finding({ path: "dir,with:odd\nname%.env", ruleName: "Name, with: colon" }));
    expect(line).toMatch(
      /^::error file=dir%2Cwith%3Aodd%0Aname%25\.env,line=12,endLine=12,col=18,endColumn=58,title=leakgate%3A Name%2C with%3A colon::/,
    );
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toContain("ghp_…a1b2 added in commit 0123456789ab");
  });

  it("leaves the columns out of a finding spanning lines", () => {
    expect(annotation(finding({ endLine: 14 }))).not.toMatch(/col=/);
  });

  it("annotates at most 50 findings, most severe first, and says how many more", () => {
    const many = [
      ...Array.from({ length: 60 }, (_, i) => finding({ severity: "low", startLine: i + 1 })),
      finding({ severity: "critical", path: "first.env" }),
    ];
    const lines = annotations(many, 70);
    expect(lines).toHaveLength(MAX_ANNOTATIONS + 1);
    expect(lines[0]).toMatch(/file=first\.env/);
    expect(lines.at(-1)).toMatch(/^::notice title=leakgate%3A more findings::20 more finding\(s\)/);
    expect(annotations([finding()], 1)).toHaveLength(1);
  });

  it("prints terminal-safe log lines", () => {
    expect(logLine(finding({ path: "a\u001b[31mb" }))).toBe(
      "critical src/config.ts:12:18  github-pat-classic  ghp_…a1b2  commit 0123456789ab".replace("src/config.ts", "a\\x1b[31mb"),
    );
  });
});

describe("job summary", () => {
  it("lists findings in a table with commit and file links", () => {
    const text = renderSummary([finding({ severity: "medium", path: "b.env" }), finding()], 2, CONTEXT);
    expect(rendered(text)).toContain("**2 secret(s) found** in pull request #42 (1a2b3c4d5e6f..9f3c1d2e4b5a), 3 commit(s).");
    expect(text).toContain("| Severity | Rule | Location | Commit | Preview |");
    const rows = text.split("\n").filter((l) => l.startsWith("| critical") || l.startsWith("| medium"));
    expect(rows.map((r) => r.split(" ")[1])).toEqual(["critical", "medium"]);
    expect(text).toContain(`<a href="https://github.com/octo-org/app/commit/${SHA}">`);
    expect(text).toContain(`https://github.com/octo-org/app/blob/${SHA}/src/config.ts#L12`);
    expect(text).toMatch(/leakgate:allow/);
  });

  it("says when nothing was found", () => {
    expect(rendered(renderSummary([], 0, CONTEXT))).toContain("No secrets found in pull request #42");
  });

  it("escapes untrusted text so it cannot break the table or inject markup", () => {
    const cell = markdownCell("a|b <img src=x> [x](http://e) `c` @team\nnext");
    expect(cell).not.toMatch(/[|<>[\]`@\n]/);
    const text = renderSummary([finding({ path: "evil|<script>.env" })], 1, CONTEXT);
    expect(text).not.toContain("<script>");
    expect(text).toContain("evil&#124;&#60;script&#62;.env");
  });

  it("stays under the size cap, dropping the least severe rows with an 'N more' line", () => {
    const findings = Array.from({ length: 5000 }, (_, i) =>
      finding({ path: `dir/file-${i}.env`, severity: i === 4999 ? "critical" : "low" }),
    );
    const max = 64 * 1024;
    const text = renderSummary(findings, 5200, CONTEXT, max);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(max);
    const shown = text.split("\n").filter((l) => /^\| (critical|low) /.test(l)).length;
    expect(shown).toBeGreaterThan(50);
    expect(text).toContain(`…and ${5200 - shown} more finding(s)`);
    expect(text.split("\n").find((l) => l.startsWith("| "))).toBeDefined();
    expect(text).toMatch(/\| critical \|/); // the most severe is kept
    const full = renderSummary(findings, 5000, CONTEXT);
    expect(Buffer.byteLength(full)).toBeLessThanOrEqual(1024 * 1024);
  });
});

describe("findingsFromSarif", () => {
  it("reads back what the CLI's SARIF reporter writes", () => {
    const f = makeFinding({ path: "dir with space/nëw.env", commit: SHA, severity: "high" });
    const log = buildSarif({
      findings: [f],
      rules: new Map(),
      stats: { files: 1, bytes: 1, skipped: 0, durationMs: 1 },
      redact: true,
      color: false,
      toolVersion: "0.1.0",
    });
    const { findings, total } = findingsFromSarif(log);
    expect(total).toBe(1);
    expect(findings[0]).toEqual({
      ruleId: f.ruleId,
      ruleName: f.ruleName,
      severity: "high",
      path: "dir with space/nëw.env",
      startLine: f.startLine,
      startColumn: f.startColumn,
      endLine: f.endLine,
      endColumn: f.endColumn,
      preview: f.preview,
      commit: SHA,
    });
  });

  it("counts results GitHub's cap left out of the file", () => {
    const log = { version: "2.1.0", runs: [{ tool: { driver: { name: "leakgate" } }, results: [], properties: { totalFindings: 30000 } }] };
    expect(findingsFromSarif(log).total).toBe(30000);
    expect(() => findingsFromSarif({ runs: [] })).toThrow(/no run/);
  });
});

describe("step outputs", () => {
  it("writes heredoc blocks", () => {
    expect(outputLines({ findings: "2", "sarif-file": "/ws/leakgate.sarif" }, "EOF_x")).toBe(
      "findings<<EOF_x\n2\nEOF_x\nsarif-file<<EOF_x\n/ws/leakgate.sarif\nEOF_x\n",
    );
    expect(() => outputLines({ a: "xEOF_xy" }, "EOF_x")).toThrow(/delimiter/);
  });
});
