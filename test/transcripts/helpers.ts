import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { type JsonFinding, ROOT, reportFindings, tempDir } from "../helpers/cli.js";

export type { JsonFinding };

export const FIXTURE_HOME = join(ROOT, "fixtures", "agent", "home");
export const CLEAN = join(ROOT, "fixtures", "agent", "clean");

/** The fake values written by fixtures/agent/make-fixtures.mjs. */
export const S = {
  dbPassword: "Tq9vLm2xRw7pZk4s",
  bearer: "8fK2mW7qZ4xT8vP3nR6sQ1aB",
  sessionSecret: "Kd8Fq2Zx7Lp4Vn9Tw3Rb",
  signingKey: "Zr4Qx9/Kp2Wm7Tv3N",
  apiToken: "Bh6Qs9Xv2Nm5Kt8Wr4Zc",
  stagingToken: "Pq7Zx2Mv9Kc4Wr8Tb3Ny",
  clientSecret: "Wm4Rt8Yq2Kx6Zp9Lc3Vb",
  mysqlPassword: "Hn3Jd8Ks2Lq7Wz5X",
  redisPassword: "Fv3Lk8Qz2Wx7Nr5Tm",
  webhookSecret: "Gx8Wm2Kq7Zt4Vn9Rc3Lp",
  /** Only inside opaque fields and images: must never be reported. */
  hidden: "Jc5Tn8Wq3Zr7Xk2Lm9Pv",
} as const;

export const findingsOf = reportFindings;

/** A private copy of the fixture home (tests that change files or mtimes). */
export function copyHome(): string {
  const dir = tempDir("leakgate-agent-home-");
  cpSync(FIXTURE_HOME, dir, { recursive: true });
  return dir;
}

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(p.slice(base.length + 1));
  }
  return out.sort();
}

/** JSON-decodes the raw text of a string value (what sits between the quotes). */
export function unescapeJson(raw: string): string {
  return JSON.parse(`"${raw}"`) as string;
}

/**
 * The physical line and columns of a finding hold its secret: the raw text there, JSON-unescaped as many
 * times as it is nested (escaped `\\"`, `\\u002f`...), is exactly the secret.
 */
export function expectAtSecret(f: JsonFinding, file: string, nesting = 0): void {
  const line = readFileSync(file, "utf8").split("\n")[f.startLine - 1] ?? "";
  expect(f.endLine, `${f.path}:${f.startLine}`).toBe(f.startLine);
  let raw = line.slice(f.startColumn - 1, f.endColumn - 1);
  for (let i = 0; i < nesting; i++) raw = unescapeJson(raw);
  if (f.decodedFrom === "base64") raw = Buffer.from(raw, "base64").toString("utf8");
  if (f.decodedFrom === "base64") expect(raw, `${f.path}:${f.startLine}`).toContain(f.secret);
  else expect(raw, `${f.path}:${f.startLine}:${f.startColumn}`).toBe(f.secret);
}

export function mtimeOf(path: string): number {
  return statSync(path).mtimeMs;
}
