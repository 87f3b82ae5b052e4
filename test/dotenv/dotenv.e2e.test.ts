import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, type JsonFinding, leakgate, ROOT, reportFindings, tempDir, writeTree } from "../helpers/cli.js";
import { githubToken } from "../helpers/tokens.js";

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error("build first: npm run build");
});

const findings = reportFindings;
const row = (f: JsonFinding) => [f.path, f.ruleId, f.startLine, f.startColumn, f.endColumn, f.logicalLocation?.fullyQualifiedName];

describe("leakgate scan on .env files (built CLI)", () => {
  it("reports sensitive literals at their exact position, keyed by variable, and nothing else", () => {
    // A directory argument: the repository's own .leakgate.yaml (which allowlists fixtures/) does not apply.
    const r = leakgate(["scan", "fixtures/dotenv/app", "-f", "json", "--no-redact"], { cwd: ROOT });
    expect(r.code).toBe(1);
    const list = findings(r.stdout);
    const env = "fixtures/dotenv/app/.env";
    expect(list.map(row)).toEqual([
      [env, "dotenv-sensitive-value", 5, 13, 29, ".env > DB_PASSWORD"],
      [env, "dotenv-sensitive-value", 6, 24, 36, ".env > REDIS_PASSWORD"],
      [env, "dotenv-sensitive-value", 7, 17, 33, ".env > SESSION_SECRET"],
      [env, "dotenv-sensitive-value", 8, 18, 34, ".env > JWT_SIGNING_KEY"],
      [env, "dotenv-sensitive-value", 16, 17, 33, ".env > WEBHOOK_SECRET"],
    ]);
    const lines = readFileSync(join(ROOT, env), "utf8").split("\n");
    for (const f of list) expect(lines[f.startLine - 1]?.slice(f.startColumn - 1, f.endColumn - 1)).toBe(f.secret);
    expect(list[0]?.logicalLocation).toMatchObject({ kind: "variable", file: ".env", key: "DB_PASSWORD" });
  });

  it("prints the variable and the advice in text, never the value", () => {
    const r = leakgate(["scan", "fixtures/dotenv/app"], { cwd: ROOT });
    expect(r.stdout).toContain("fixtures/dotenv/app/.env:5:13");
    expect(r.stdout).toContain("location: .env > DB_PASSWORD");
    expect(r.stdout).toMatch(/fix: +Keep \.env files out of version control/);
    expect(r.stdout).toContain("Credential assigned to an environment variable (dotenv-sensitive-value)");
    expect(r.stdout).not.toContain("Tq9vLm2xRw7pZk4s");
  });

  it("keeps example, sample, template and dist files with placeholders clean", () => {
    const r = leakgate(["scan", "fixtures/dotenv/examples"], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 findings in 4 files/);
  });

  it("still reports a real-looking provider token in an example file", () => {
    const dir = tempDir();
    const token = githubToken();
    writeTree(dir, { ".env.example": `DB_PASSWORD=changeme\nSECRET_KEY=1234567890abcdef1234\nGITHUB_TOKEN=${token}\n` });
    const r = leakgate(["scan", ".", "-f", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(findings(r.stdout).map(row)).toEqual([[".env.example", "github-pat-classic", 3, 14, 54, ".env.example > GITHUB_TOKEN"]]);
  });

  it("finds a private key inside a multi-line double-quoted value at its physical line", () => {
    const dir = tempDir();
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256", privateKeyEncoding: { type: "pkcs8", format: "pem" } });
    const pem = (privateKey as unknown as string).trim();
    writeTree(dir, { "deploy/prod.env": `APP=web\nSIGNING_KEY="${pem}"\nNEXT=1\n` });
    const r = leakgate(["scan", ".", "-f", "json"], { cwd: dir });
    expect(r.code).toBe(1);
    const list = findings(r.stdout);
    expect(list).toHaveLength(1);
    // The rule reports the key body: from the line after BEGIN.
    expect(list[0]).toMatchObject({ path: "deploy/prod.env", startLine: 3, startColumn: 1 });
    expect(list[0]?.ruleId).toMatch(/private-key/);
    expect(list[0]?.logicalLocation?.fullyQualifiedName).toBe("prod.env > SIGNING_KEY");
    expect(list[0]?.endLine).toBeGreaterThan(3);
  });

  it("reads .env.* and *.env, quotes, export and escapes, and leaves references alone", () => {
    const dir = tempDir();
    const token = githubToken();
    writeTree(dir, {
      ".env.local": `export API_TOKEN="Zk4sTq9vLm2xRw7p"\nREF_SECRET=\${VAULT_SECRET}\nOP_PASSWORD=op://vault/item/password\n`,
      "config/staging.env": `# staging\nNOTE="line one\\n${token}"\n`,
    });
    const r = leakgate(["scan", ".", "-f", "json", "--no-redact"], { cwd: dir });
    expect(findings(r.stdout).map(row)).toEqual([
      [".env.local", "dotenv-sensitive-value", 1, 19, 35, ".env.local > API_TOKEN"],
      ["config/staging.env", "github-pat-classic", 2, 17, 57, "staging.env > NOTE"],
    ]);
  });

  it("keeps the findings of a plain scan outside the assignments (comments)", () => {
    const dir = tempDir();
    const token = githubToken();
    writeTree(dir, { ".env": `# old token: ${token}\nAPP=web\n` });
    const list = findings(leakgate(["scan", ".", "-f", "json"], { cwd: dir }).stdout);
    expect(list.map(row)).toEqual([[".env", "github-pat-classic", 1, 14, 54, undefined]]);
  });

  it("honours inline allow comments, and falls back to the plain scan when the rule is disabled", () => {
    const dir = tempDir();
    writeTree(dir, {
      ".env": "DB_PASSWORD=Tq9vLm2xRw7pZk4s # leakgate:allow\nAPI_TOKEN=Hx4Lm9QzTq9vLm2xRw\n",
      "off.yaml": "disabledRules: [dotenv-sensitive-value]\n",
      "allow.yaml": "allowlist:\n  values: ['^Hx4Lm9Qz']\n",
    });
    const list = findings(leakgate(["scan", ".", "-f", "json"], { cwd: dir }).stdout);
    expect(list.map((f) => [f.ruleId, f.logicalLocation?.key])).toEqual([["dotenv-sensitive-value", "API_TOKEN"]]);
    const off = findings(leakgate(["scan", ".", "-f", "json", "-c", "off.yaml"], { cwd: dir }).stdout);
    // Whichever generic rule the plain scan reports, it keeps the variable as its location.
    expect(off.map((f) => [f.ruleId.startsWith("generic-"), f.startLine, f.startColumn, f.logicalLocation?.key])).toEqual([
      [true, 2, 11, "API_TOKEN"],
    ]);
    expect(leakgate(["scan", ".", "-c", "allow.yaml"], { cwd: dir }).code).toBe(0);
  });
});
