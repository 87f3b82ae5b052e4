import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, git, initRepo, leakgate, tempDir, writeTree } from "../helpers/cli.js";
import { checkGitHubConstraints, validateSarif } from "../helpers/sarif.js";

// Fake credentials built at run time; the generic rule reports them (name + entropy).
const PASSWORD = ["Tq9v", "Lm2x", "Rw7p", "Zk4s"].join("");
const ACME = `acme_${"k3j5h7g9f2d4s6a8q1w3e5r7t9y2u4i6"}`;
const ACME_CONFIG = `rules:\n  - id: acme-key\n    name: ACME key\n    pattern: 'acme_[a-z0-9]{32}'\n    keywords: [acme_]\n    remediation: Rotate it at https://acme.invalid/keys\n`;

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error("build first: npm run build");
});

describe("leakgate scan (built CLI)", () => {
  it("exits 0 on a clean tree and says so", () => {
    const dir = tempDir();
    writeTree(dir, { "README.md": "# hello\n", "src/a.js": "export const a = 1;\n" });
    const r = leakgate(["scan", "."], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/No secrets found/);
    expect(r.stdout).toMatch(/0 findings in 2 files/);
  });

  it("exits 1 with path:line:col and a redacted preview, never the secret", () => {
    const dir = tempDir();
    writeTree(dir, { "app/.env": `# db\nDB_PASSWORD=${PASSWORD}\n` });
    const r = leakgate(["scan", "."], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("app/.env:2:13");
    expect(r.stdout).toContain("…");
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it("prints the secret only with --no-redact", () => {
    const dir = tempDir();
    writeTree(dir, { ".env": `DB_PASSWORD=${PASSWORD}\n` });
    expect(leakgate(["scan", ".", "--no-redact"], { cwd: dir }).stdout).toContain(PASSWORD);
    const json = JSON.parse(leakgate(["scan", ".", "-f", "json", "--no-redact"], { cwd: dir }).stdout);
    expect(json.findings[0].secret).toBe(PASSWORD);
  });

  it("writes the documented JSON document", () => {
    const dir = tempDir();
    writeTree(dir, { "conf/settings.yaml": `service:\n  api_key: "${PASSWORD}"\n` });
    const r = leakgate(["scan", ".", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.version).toBe(1);
    expect(doc.stats).toMatchObject({ files: 1, skipped: 0 });
    expect(doc.findings).toHaveLength(1);
    const f = doc.findings[0];
    expect(f).toMatchObject({
      ruleId: "generic-credential-assignment",
      severity: "high",
      path: "conf/settings.yaml",
      startLine: 2,
      startColumn: 13,
      endLine: 2,
      endColumn: 13 + PASSWORD.length,
    });
    for (const key of ["ruleName", "preview", "secretSha256", "fingerprint"]) expect(f[key]).toBeTruthy();
    expect(JSON.stringify(doc)).not.toContain(PASSWORD);
  });

  it("writes SARIF to --output without the secret", () => {
    const dir = tempDir();
    writeTree(dir, { "dir with space/.env": `API_TOKEN=${PASSWORD}\n` });
    const r = leakgate(["scan", ".", "-f", "sarif", "-o", "out.sarif"], { cwd: dir });
    expect(r.code).toBe(1);
    const text = readFileSync(join(dir, "out.sarif"), "utf8");
    expect(text).not.toContain(PASSWORD);
    const sarif = validateSarif(JSON.parse(text));
    checkGitHubConstraints(sarif);
    expect(sarif.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("dir%20with%20space/.env");
  });

  it("reads stdin with -", () => {
    const dir = tempDir();
    const r = leakgate(["scan", "-", "-f", "json"], { cwd: dir, input: `export SECRET_KEY="${PASSWORD}"\n` });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ path: "-", startLine: 1 });
  });

  it("--exit-zero keeps the report but exits 0", () => {
    const dir = tempDir();
    writeTree(dir, { ".env": `DB_PASSWORD=${PASSWORD}\n` });
    const r = leakgate(["scan", ".", "--exit-zero"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(".env:1:13");
  });

  it("runs custom rules from --config and rejects one that RE2 cannot compile, naming it", () => {
    const dir = tempDir();
    writeTree(dir, {
      "x.txt": `k = ${ACME}\n`,
      "good.yaml": ACME_CONFIG,
      "bad.yaml": "rules:\n  - id: broken-rule\n    name: B\n    pattern: '(?<=x)y'\n",
    });
    const good = leakgate(["scan", "x.txt", "--config", "good.yaml", "-f", "json"], { cwd: dir });
    expect(good.code).toBe(1);
    expect(JSON.parse(good.stdout).findings[0].ruleId).toBe("acme-key");
    const bad = leakgate(["scan", "x.txt", "--config", "bad.yaml"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toMatch(/broken-rule.*RE2/);
  });

  it("reports usage and config errors on one line with exit 2", () => {
    const dir = tempDir();
    writeTree(dir, { "bad.yaml": "rules: [\n", "unknown.yaml": "colour: blue\n" });
    for (const args of [
      ["scan", "does-not-exist"],
      ["scan", ".", "--format", "xml"],
      ["scan", ".", "--config", "bad.yaml"],
      ["scan", ".", "--config", "unknown.yaml"],
      ["scan", ".", "--config", "missing.yaml"],
      ["scan", ".", "--baseline", "missing.json"],
      ["scan", ".", "--max-file-size", "lots"],
      ["no-such-command"],
    ]) {
      const r = leakgate(args, { cwd: dir });
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr.trim().split("\n").length, r.stderr).toBeLessThanOrEqual(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("skips binary, oversized and unreadable files and symlink loops with warnings in --verbose", () => {
    const dir = tempDir();
    writeTree(dir, {
      "bin.dat": Buffer.concat([Buffer.from([0, 1, 2, 3]), Buffer.from(`DB_PASSWORD=${PASSWORD}`)]),
      "big.txt": `${"x".repeat(4096)}\nDB_PASSWORD=${PASSWORD}\n`,
      "ok.txt": "nothing here\n",
    });
    symlinkSync("loop-b", join(dir, "loop-a"));
    symlinkSync("loop-a", join(dir, "loop-b"));
    mkdirSync(join(dir, "sub"));
    symlinkSync("..", join(dir, "sub", "up"));
    const r = leakgate(["scan", ".", "--max-file-size", "1KB", "--verbose"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/bin\.dat: skipped, binary/);
    expect(r.stderr).toMatch(/big\.txt: skipped, larger than/);
  });

  it("transcodes UTF-16 files so their secrets are found", () => {
    const dir = tempDir();
    writeTree(dir, {
      "w.ps1": Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`$x = 1\r\n$DbPassword = "${PASSWORD}"\r\n`, "utf16le")]),
    });
    const r = leakgate(["scan", ".", "-f", "json"], { cwd: dir });
    expect(JSON.parse(r.stdout).findings[0]).toMatchObject({ path: "w.ps1", startLine: 2 });
  });

  it("in a git work tree scans tracked and untracked files but not ignored ones", () => {
    const dir = tempDir();
    initRepo(dir);
    writeTree(dir, {
      ".gitignore": "ignored.env\n",
      "tracked.env": `DB_PASSWORD=${PASSWORD}\n`,
      "untracked.env": `API_TOKEN=${PASSWORD}x\n`,
      "ignored.env": `SECRET=${PASSWORD}y\n`,
    });
    git(dir, "add", ".gitignore", "tracked.env");
    git(dir, "commit", "-qm", "init");
    const doc = JSON.parse(leakgate(["scan", ".", "-f", "json"], { cwd: dir }).stdout);
    expect(doc.findings.map((f: { path: string }) => f.path).sort()).toEqual(["tracked.env", "untracked.env"]);
  });

  it("outside git honours .gitignore files", () => {
    const dir = tempDir();
    writeTree(dir, {
      ".gitignore": "*.log\n",
      "sub/.gitignore": "private/\n",
      "a.log": `API_TOKEN=${PASSWORD}\n`,
      "sub/private/k.env": `API_TOKEN=${PASSWORD}\n`,
      "sub/k.env": `API_TOKEN=${PASSWORD}\n`,
    });
    const doc = JSON.parse(leakgate(["scan", ".", "-f", "json"], { cwd: dir }).stdout);
    expect(doc.findings.map((f: { path: string }) => f.path)).toEqual(["sub/k.env"]);
  });

  it("honours inline allow comments in all three spellings", () => {
    const dir = tempDir();
    writeTree(dir, {
      "a.py": `password = "${PASSWORD}"  # leakgate:allow\n`,
      "b.go": `apiKey := "${PASSWORD}" // gitleaks:allow\n`,
      "c.py": `secret = "${PASSWORD}"  # pragma: allowlist secret\n`,
      "d.py": `token = "${PASSWORD}"\n`,
    });
    const doc = JSON.parse(leakgate(["scan", ".", "-f", "json"], { cwd: dir }).stdout);
    expect(doc.findings.map((f: { path: string }) => f.path)).toEqual(["d.py"]);
  });

  it("baseline create accepts current findings, which survive a line move; new ones still fail", () => {
    const dir = tempDir();
    writeTree(dir, { "a.env": `API_TOKEN=${PASSWORD}\n` });
    const created = leakgate(["baseline", "create", "."], { cwd: dir });
    expect(created.code).toBe(0);
    const baseline = readFileSync(join(dir, ".leakgate-baseline.json"), "utf8");
    expect(baseline).not.toContain(PASSWORD);
    expect(baseline).not.toMatch(/20\d\d-\d\d-\d\d/); // no timestamps
    writeFileSync(join(dir, "a.env"), `# moved down\n\nAPI_TOKEN=${PASSWORD}\n`);
    expect(leakgate(["scan", ".", "--baseline", ".leakgate-baseline.json"], { cwd: dir }).code).toBe(0);
    expect(leakgate(["scan", "."], { cwd: dir }).code).toBe(0); // picked up by default
    writeFileSync(join(dir, "b.env"), `API_TOKEN=${PASSWORD}\n`);
    expect(leakgate(["scan", "."], { cwd: dir }).code).toBe(1);
  });

  it("applies .leakgate.yaml allowlists, disabled rules and .leakgateignore fingerprints", () => {
    const dir = tempDir();
    writeTree(dir, {
      "fixtures/a.env": `API_TOKEN=${PASSWORD}\n`,
      "b.env": `API_TOKEN=${PASSWORD}Q\n`,
      "c.txt": `k = ${ACME}\n`,
      "d.env": `API_TOKEN=${PASSWORD}Z\n`,
      ".leakgate.yaml": `${ACME_CONFIG}disabledRules: [acme-key]\nallowlist:\n  paths: ['fixtures/']\n  values: ['Q$']\n`,
    });
    const doc = JSON.parse(leakgate(["scan", ".", "-f", "json"], { cwd: dir }).stdout);
    expect(doc.findings.map((f: { path: string }) => f.path)).toEqual(["d.env"]);
    writeFileSync(join(dir, ".leakgateignore"), `# accepted\n${doc.findings[0].fingerprint}\n`);
    expect(leakgate(["scan", "."], { cwd: dir }).code).toBe(0);
  });
});

describe("regex engine fallback", () => {
  it("without the native addon, re2js finds the same secrets and says so on one line", () => {
    const dir = tempDir();
    writeTree(dir, {
      ".env": `DB_PASSWORD=${PASSWORD}\n`,
      "k.yaml": `data:\n  token: ${Buffer.from(`u:${ACME}`).toString("base64")}\n`,
      "c.yaml": ACME_CONFIG,
    });
    const native = leakgate(["scan", ".", "-f", "json", "-c", "c.yaml"], { cwd: dir });
    const pure = leakgate(["scan", ".", "-f", "json", "-c", "c.yaml"], { cwd: dir, env: { LEAKGATE_REGEX_ENGINE: "re2js" } });
    expect(pure.code).toBe(1);
    expect(pure.stderr.trim().split("\n")).toHaveLength(1);
    expect(pure.stderr).toMatch(/re2js/);
    const strip = (out: string) =>
      JSON.parse(out).findings.map((f: Record<string, unknown>) => [f.ruleId, f.path, f.startLine, f.startColumn, f.endColumn]);
    expect(strip(pure.stdout)).toEqual(strip(native.stdout));
    expect(strip(native.stdout)).toHaveLength(2);
  });
});
