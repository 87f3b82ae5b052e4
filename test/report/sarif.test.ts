import type * as Sarif from "sarif";
import { describe, expect, it } from "vitest";
import { renderSarif, toArtifactUri } from "../../src/report/sarif.js";
import type { ReportContext } from "../../src/report/types.js";
import { checkGitHubConstraints, onlyRun, validateSarif } from "../helpers/sarif.js";
import { makeContext, makeFinding, sampleFindings } from "./factory.js";

function render(ctx: ReportContext): Sarif.Log {
  const text = renderSarif(ctx);
  expect(text.endsWith("\n")).toBe(true);
  const log = JSON.parse(text) as Sarif.Log;
  return validateSarif(log);
}

describe("renderSarif", () => {
  it("emits a schema-valid SARIF 2.1.0 log that meets GitHub's constraints", () => {
    const log = render(makeContext(sampleFindings()));
    checkGitHubConstraints(log);
    const driver = onlyRun(log).tool.driver;
    expect(driver.name).toBe("leakgate");
    expect(driver.informationUri).toBe("https://github.com/leakgate/leakgate");
    expect(driver.version).toBe("0.1.0");
    expect(driver.semanticVersion).toBe("0.1.0");
  });

  it("is schema-valid with no findings", () => {
    const log = render(makeContext([]));
    checkGitHubConstraints(log);
    expect(onlyRun(log).results).toEqual([]);
    expect(onlyRun(log).tool.driver.rules).toEqual([]);
  });

  it("lists only the rules with findings, sorted by id, with levels and security severities", () => {
    const run = onlyRun(render(makeContext(sampleFindings())));
    const rules = run.tool.driver.rules!;
    expect(rules.map((r) => r.id)).toEqual(["aws-access-key-id", "generic-password", "github-pat-classic", "low-entropy-token"]);
    const byId = new Map(rules.map((r) => [r.id, r]));
    expect(byId.get("aws-access-key-id")!.defaultConfiguration!.level).toBe("error");
    expect(byId.get("aws-access-key-id")!.properties!["security-severity"]).toBe("9.5");
    expect(byId.get("github-pat-classic")!.defaultConfiguration!.level).toBe("error");
    expect(byId.get("github-pat-classic")!.properties!["security-severity"]).toBe("8.0");
    expect(byId.get("generic-password")!.defaultConfiguration!.level).toBe("warning");
    expect(byId.get("generic-password")!.properties!["security-severity"]).toBe("5.5");
    expect(byId.get("low-entropy-token")!.defaultConfiguration!.level).toBe("note");
    expect(byId.get("low-entropy-token")!.properties!["security-severity"]).toBe("3.0");

    const gh = byId.get("github-pat-classic")!;
    expect(gh.name).toBe("GitHubPersonalAccessTokenClassic");
    expect(gh.shortDescription!.text).toBe("GitHub personal access token (classic)");
    expect(gh.fullDescription!.text).toContain("classic personal access token");
    expect(gh.help!.text).toContain("https://github.com/settings/tokens");
    expect(gh.help!.markdown).toContain("**Remediation**");
    expect(gh.properties!.tags).toEqual(["security", "secret", "github", "vcs"]);
    // Duplicate tags are removed; no description falls back to the name.
    const aws = byId.get("aws-access-key-id")!;
    expect(aws.properties!.tags).toEqual(["security", "secret", "aws", "cloud"]);
    expect(aws.fullDescription!.text).toBe("AWS access key ID");
    expect(aws.help!.text!.length).toBeGreaterThan(0);
  });

  it("describes the result: level, message, location, fingerprints and properties", () => {
    const findings = sampleFindings();
    const run = onlyRun(render(makeContext(findings)));
    const results = run.results!;
    // Sorted by path.
    expect(results.map((r) => r.locations![0]!.physicalLocation!.artifactLocation!.uri)).toEqual([
      ".claude/projects/x/session.jsonl",
      "README.md",
      "deploy/my%20scripts/run%20%231.sh",
      "src/config.ts",
    ]);
    const gh = results.find((r) => r.ruleId === "github-pat-classic")!;
    const f = findings[0]!;
    expect(gh.level).toBe("error");
    expect(gh.message.text).toBe(`GitHub personal access token (classic) ${f.preview} found`);
    expect(gh.locations![0]!.physicalLocation!.region).toEqual({
      startLine: 12,
      startColumn: 18,
      endLine: 12,
      endColumn: f.endColumn,
      snippet: { text: f.preview },
    });
    expect(gh.partialFingerprints).toEqual({ "leakgate/v1": f.fingerprint });
    expect(gh.properties).toMatchObject({ secretSha256: f.secretSha256, entropy: 4.12 });
    expect(gh.properties).not.toHaveProperty("commit");

    const aws = results.find((r) => r.ruleId === "aws-access-key-id")!;
    expect(aws.properties).toMatchObject({
      commit: "0123456789abcdef0123456789abcdef01234567",
      author: "Jane Doe <jane@example.com>",
      date: "2024-05-01T10:00:00Z",
    });
    expect(aws.level).toBe("error");

    const pw = results.find((r) => r.ruleId === "generic-password")!;
    expect(pw.level).toBe("warning");
    expect(pw.properties!.decodedFrom).toBe("encoded:base64");
    expect(pw.locations![0]!.logicalLocations).toEqual([
      {
        fullyQualifiedName: "session 1234 > record 7 > $.message.content[0]",
        kind: "object",
        properties: { record: 7 },
      },
    ]);
    expect(results.find((r) => r.ruleId === "low-entropy-token")!.level).toBe("note");
  });

  it("never contains any secret or lineText when redacting", () => {
    const findings = sampleFindings();
    const text = JSON.stringify(render(makeContext(findings, { redact: true })));
    for (const f of findings) expect(text).not.toContain(f.secret);
    expect(text).not.toContain("LINE-TEXT-MARKER");
    expect(text).not.toContain("lineText");
  });

  it("uses the secret in message and snippet only with redact false", () => {
    const findings = sampleFindings();
    const log = render(makeContext(findings, { redact: false }));
    checkGitHubConstraints(log);
    const text = JSON.stringify(log);
    for (const f of findings) expect(text).toContain(f.secret);
    expect(text).not.toContain("LINE-TEXT-MARKER");
    const gh = onlyRun(log).results!.find((r) => r.ruleId === "github-pat-classic")!;
    expect(gh.locations![0]!.physicalLocation!.region!.snippet!.text).toBe(findings[0]!.secret);
  });

  it("caps results at 25,000 per run and records how many were dropped", () => {
    const findings = [];
    for (let i = 0; i < 25_010; i++) {
      findings.push(
        makeFinding({
          path: `dir/file-${String(i % 500).padStart(3, "0")}.env`,
          startLine: Math.floor(i / 500) + 1,
        }),
      );
    }
    // Shuffle-ish: the reporter must sort before truncating.
    findings.reverse();
    const ctx = makeContext(findings);
    const log = render(ctx);
    checkGitHubConstraints(log);
    const run = onlyRun(log);
    expect(run.results).toHaveLength(25_000);
    expect(run.properties).toMatchObject({ droppedResults: 10, totalFindings: 25_010 });
    const firsts = run.results!.slice(0, 2).map((r) => r.locations![0]!.physicalLocation!);
    expect(firsts.map((p) => `${p.artifactLocation!.uri}:${p.region!.startLine}`)).toEqual(["dir/file-000.env:1", "dir/file-000.env:2"]);
    const last = run.results!.at(-1)!.locations![0]!.physicalLocation!;
    // The last 10 (file-499.env lines 41..50) were dropped.
    expect(`${last.artifactLocation!.uri}:${last.region!.startLine}`).toBe("dir/file-499.env:40");
    const text = JSON.stringify(log);
    expect(text).not.toContain("FAKE-SECRET-");
    expect(findings).toHaveLength(25_010);
  }, 60_000);

  it("has a validator that really rejects invalid SARIF", () => {
    const good = JSON.parse(renderSarif(makeContext(sampleFindings()))) as Sarif.Log;
    expect(() => validateSarif(good)).not.toThrow();
    const badLine = structuredClone(good);
    badLine.runs[0]!.results![0]!.locations![0]!.physicalLocation!.region!.startLine = 0;
    expect(() => validateSarif(badLine)).toThrow();
    const badUri = structuredClone(good);
    badUri.runs[0]!.results![0]!.locations![0]!.physicalLocation!.artifactLocation!.uri = "a b.ts";
    expect(() => validateSarif(badUri)).toThrow();
    const extra = structuredClone(good) as unknown as { runs: Array<Record<string, unknown>> };
    extra.runs[0]!.bogus = true;
    expect(() => validateSarif(extra)).toThrow();
  });

  it("records zero dropped results normally", () => {
    expect(onlyRun(render(makeContext([makeFinding()]))).properties).toMatchObject({ droppedResults: 0 });
  });

  it("describes a rule missing from ctx.rules from its findings", () => {
    const f = makeFinding({ ruleId: "custom-rule", ruleName: "My custom rule", severity: "medium" });
    const log = render(makeContext([f]));
    checkGitHubConstraints(log);
    const [rule] = onlyRun(log).tool.driver.rules!;
    expect(rule).toMatchObject({
      id: "custom-rule",
      name: "MyCustomRule",
      shortDescription: { text: "My custom rule" },
      defaultConfiguration: { level: "warning" },
    });
    expect(rule!.properties!["security-severity"]).toBe("5.5");
  });

  it("omits semanticVersion when the tool version is not semver", () => {
    const log = render(makeContext([makeFinding()], { toolVersion: "dev" }));
    expect(onlyRun(log).tool.driver.version).toBe("dev");
    expect(onlyRun(log).tool.driver).not.toHaveProperty("semanticVersion");
  });

  it("stays schema-valid and relative for awkward paths", () => {
    const paths = ["/abs/path.ts", "./rel.ts", "C:\\Users\\me\\.env", "a b/ü%#?.txt", "-", "x:y/z", "lone\ud800.txt"];
    const log = render(makeContext(paths.map((path) => makeFinding({ path }))));
    checkGitHubConstraints(log);
  });
});

describe("toArtifactUri", () => {
  it("produces relative, percent-encoded URI references", () => {
    expect(toArtifactUri("src/app.ts")).toBe("src/app.ts");
    expect(toArtifactUri("./src/app.ts")).toBe("src/app.ts");
    expect(toArtifactUri("/src/app.ts")).toBe("src/app.ts");
    expect(toArtifactUri("src\\win\\app.ts")).toBe("src/win/app.ts");
    expect(toArtifactUri("my dir/a b.ts")).toBe("my%20dir/a%20b.ts");
    expect(toArtifactUri("a#b?c%d.ts")).toBe("a%23b%3Fc%25d.ts");
    expect(toArtifactUri("C:/x.ts")).toBe("C%3A/x.ts");
    expect(toArtifactUri("über/ünï.ts")).toBe("%C3%BCber/%C3%BCn%C3%AF.ts");
    expect(toArtifactUri("a@b/c+d=e.ts")).toBe("a@b/c+d=e.ts");
  });
});
