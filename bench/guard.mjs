#!/usr/bin/env node
// Agent guard latency: `npm run bench:guard` (after `npm run build`).
//
// A hook runs on every tool call, so what counts is the wall time of one invocation, process start
// included. This spawns the built guard BENCH_GUARD_RUNS times (default 30, after 3 warm-ups) with a
// realistic 20 KB Claude Code PreToolUse `Write` event on stdin (a TypeScript module: env lookups,
// fetch calls with headers, config objects; no secret), and prints p50 / p95 against the targets
// (p50 < 120 ms, p95 < 200 ms) for:
//
//   hook entry   node dist/guard/bin.js --agent claude-code   (what `guard install` writes)
//   full CLI     node dist/cli/bin.js guard --agent claude-code
//
// next to the floor (`node -e 0`), plus one run of the same event with a (generated, fake) GitHub
// token appended, to show the deny path costs the same. The audit log goes to a temporary HOME.
// Environment: BENCH_GUARD_RUNS, BENCH_GUARD_KB (event size, default 20). A report, not a gate.
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const HOOK = join(REPO, "dist", "guard", "bin.js");
const CLI = join(REPO, "dist", "cli", "bin.js");
const P50_TARGET = 120;
const P95_TARGET = 200;

const envInt = (name, fallback) => {
  const n = Number(process.env[name] ?? fallback);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
const RUNS = envInt("BENCH_GUARD_RUNS", 30);
const KB = envInt("BENCH_GUARD_KB", 20);
const log = (msg) => console.log(`[bench:guard] ${msg}`);

if (!existsSync(HOOK) || !existsSync(CLI)) {
  console.error("[bench:guard] build first: npm run build");
  process.exit(2);
}

/** A plausible TypeScript module of about `bytes` bytes: no secret, plenty of key/token words. */
function sourceFile(bytes) {
  const parts = [
    'import { readFile } from "node:fs/promises";\nimport { createHash } from "node:crypto";\n\n',
    "/** Settings read from the environment; values never live in code. */\n",
    "export interface ServiceConfig {\n  baseUrl: string;\n  apiKey: string | undefined;\n  timeoutMs: number;\n  retries: number;\n}\n\n",
  ];
  let i = 0;
  while (parts.join("").length < bytes) {
    i++;
    parts.push(
      `export function loadConfig${i}(env: NodeJS.ProcessEnv = process.env): ServiceConfig {\n` +
        `  const apiKey = env.SERVICE_${i}_API_KEY;\n` +
        `  if (!apiKey) console.warn("SERVICE_${i}_API_KEY is not set; requests will be anonymous");\n` +
        `  return { baseUrl: env.SERVICE_${i}_URL ?? "https://api.example.com/v${i}", apiKey, timeoutMs: ${1000 + i * 10}, retries: ${i % 4} };\n` +
        "}\n\n" +
        `export async function fetchItems${i}(config: ServiceConfig, page = 1): Promise<unknown[]> {\n` +
        '  const headers: Record<string, string> = { accept: "application/json" };\n' +
        "  if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;\n" +
        "  const response = await fetch(`${config.baseUrl}/items?page=${page}`, { headers, signal: AbortSignal.timeout(config.timeoutMs) });\n" +
        "  if (!response.ok) throw new Error(`items: HTTP ${response.status} (token expired? check the key in your secret manager)`);\n" +
        "  const body = (await response.json()) as { items: unknown[]; next?: string };\n" +
        "  return body.items;\n" +
        "}\n\n" +
        `export function cacheKey${i}(path: string, password_hint = "none"): string {\n` +
        '  return createHash("sha256").update(`${path}:${password_hint}`).digest("hex").slice(0, 16);\n' +
        "}\n\n",
    );
  }
  return parts.join("").slice(0, bytes);
}

/** A fake classic GitHub token with a valid checksum, made here so none is committed. */
function fakeGithubToken() {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  let body = "";
  for (let i = 0; i < 30; i++) body += alphabet[randomInt(alphabet.length)];
  // CRC32 of the body, base62, 6 characters (the GitHub token checksum).
  let crc = 0xffffffff;
  for (const byte of Buffer.from(body)) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  let n = (crc ^ 0xffffffff) >>> 0;
  let check = "";
  for (let i = 0; i < 6; i++) {
    check = alphabet[n % 62] + check;
    n = Math.floor(n / 62);
  }
  return `ghp_${body}${check}`;
}

function writeEvent(project, content) {
  return JSON.stringify({
    session_id: "6f1c2a7e-2b9d-4d8e-9a51-0c3f5e7b9d11",
    transcript_path: join(project, ".claude-transcript.jsonl"),
    cwd: project,
    permission_mode: "default",
    hook_event_name: "PreToolUse",
    tool_name: "Write",
    tool_input: { file_path: join(project, "src", "services", "items.ts"), content },
    tool_use_id: "toolu_01ABCDEFGHJKMNPQRSTVWXYZ0",
  });
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function timeSpawns(args, input, env, runs, warmup = 3) {
  const times = [];
  let last;
  for (let i = 0; i < warmup + runs; i++) {
    const started = performance.now();
    last = spawnSync(process.execPath, args, { input, env, cwd: env.BENCH_PROJECT, maxBuffer: 64 << 20 });
    const ms = performance.now() - started;
    if (i >= warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), min: times[0], max: times[times.length - 1], last };
}

const home = mkdtempSync(join(tmpdir(), "leakgate-bench-guard-"));
const project = join(home, "project");
const env = { ...process.env, HOME: home, USERPROFILE: home, BENCH_PROJECT: home, NO_COLOR: "1" };
const content = sourceFile(KB * 1024);
const clean = writeEvent(project, content);
const dirty = writeEvent(project, `${content}\nexport const GITHUB_TOKEN = "${fakeGithubToken()}";\n`);

log(
  `node ${process.version}, ${RUNS} runs each after 3 warm-ups, event ${(clean.length / 1024).toFixed(1)} KB, load average ${loadavg()[0].toFixed(2)}`,
);
const row = (name, r) =>
  log(
    `${name.padEnd(34)} p50 ${r.p50.toFixed(1).padStart(6)} ms   p95 ${r.p95.toFixed(1).padStart(6)} ms   (min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)})`,
  );

const floor = timeSpawns(["-e", "0"], "", env, RUNS);
row("floor: node -e 0", floor);

const hook = timeSpawns([HOOK, "--agent", "claude-code"], clean, env, RUNS);
if (hook.last.status !== 0 || hook.last.stdout.length)
  throw new Error(`hook entry: unexpected answer ${hook.last.status} ${hook.last.stdout}${hook.last.stderr}`);
row("hook entry (dist/guard/bin.js)", hook);

const hookDeny = timeSpawns([HOOK, "--agent", "claude-code"], dirty, env, Math.max(5, Math.floor(RUNS / 3)));
if (!hookDeny.last.stdout.toString().includes('"deny"')) throw new Error("hook entry: the secret was not denied");
row("hook entry, event with a secret", hookDeny);

const cli = timeSpawns([CLI, "guard", "--agent", "claude-code"], clean, env, RUNS);
if (cli.last.status !== 0) throw new Error(`full CLI: exit ${cli.last.status}: ${cli.last.stderr}`);
row("full CLI (dist/cli/bin.js guard)", cli);

const verdict = (r) => (r.p50 < P50_TARGET && r.p95 < P95_TARGET ? "meets" : "MISSES");
log(`targets p50 < ${P50_TARGET} ms, p95 < ${P95_TARGET} ms: hook entry ${verdict(hook)}, full CLI ${verdict(cli)}`);
log(`overhead over bare node (p50): hook entry +${(hook.p50 - floor.p50).toFixed(1)} ms, full CLI +${(cli.p50 - floor.p50).toFixed(1)} ms`);
rmSync(home, { recursive: true, force: true });
