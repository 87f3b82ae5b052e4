#!/usr/bin/env node
// Transcript throughput benchmark: `npm run bench:transcripts` (after `npm run build`).
//
// 1. Generates ~200 MB of realistic Claude Code and Codex sessions (deterministic PRNG) into
//    bench/.cache/transcripts/ (git-ignored), reused while its stamp matches: user prompts, thinking
//    blocks with signatures, Read / Bash / Edit / Write / Grep tool calls with their results and
//    `toolUseResult` copies, pasted PNG screenshots, Codex reasoning with `encrypted_content`,
//    `function_call` arguments and JSON-string outputs, apply_patch calls, token counts. Contents come
//    from source files in node_modules. A few fake secrets are planted per session (commands, .env
//    reads, written files, JSON-in-JSON outputs, escaped tokens).
// 2. Runs `leakgate scan <dir> --format json` as a child process under /usr/bin/time (peak RSS),
//    best of BENCH_RUNS (default 3), and prints MB/s, peak RSS and how many planted secrets were found.
//
// Environment: BENCH_TRANSCRIPTS_MB (default 200), BENCH_RUNS, BENCH_WORKERS (passed as --workers).
// MB here is 2^20 bytes. Always exits 0 once the measurements ran: it is a report, not a gate.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { hasTimeBin } from "./lib/measure.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = join(REPO, "bench", ".cache", "transcripts");
const MB = 1024 * 1024;
const TARGET_MB_S = 40;
const GENERATOR_VERSION = 5;
const TOTAL_MB = Number(process.env.BENCH_TRANSCRIPTS_MB ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SESSION_BYTES = 2.5 * MB;

const log = (msg) => console.log(`[bench:transcripts] ${msg}`);

// --- deterministic randomness -------------------------------------------------------------------
let seed = 0x5eed1234;
function rand() {
  // xorshift32
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 0x100000000;
}
const randInt = (n) => Math.floor(rand() * n);
const pick = (list) => list[randInt(list.length)];
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const randStr = (n, alphabet = ALNUM) => {
  let s = "";
  for (let i = 0; i < n; i++) s += alphabet[randInt(alphabet.length)];
  return s;
};
const hex = (n) => randStr(n, "0123456789abcdef");
const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
const randBytes = (n) => {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = randInt(256);
  return b;
};

// --- content pool: real source files --------------------------------------------------------------
function sourcePool() {
  const roots = ["yaml/dist", "ajv/dist", "commander/lib", "typescript/lib", "fast-glob/out", "chalk/source", "re2js/build"];
  const files = [];
  const walk = (dir, depth) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory() && depth < 4) walk(p, depth + 1);
      else if (/\.(js|ts|mjs|cjs|json|md)$/.test(e.name)) {
        const size = statSync(p).size;
        if (size > 800 && size < 60 * 1024) files.push(p);
      }
    }
  };
  for (const r of roots) walk(join(REPO, "node_modules", r), 0);
  const pool = files.slice(0, 600).map((p) => ({ path: p.slice(join(REPO, "node_modules").length + 1), text: readFileSync(p, "utf8") }));
  if (pool.length === 0) {
    for (let i = 0; i < 50; i++)
      pool.push({ path: `src/mod${i}.ts`, text: `export function f${i}(a: number) {\n  return a + ${i};\n}\n`.repeat(200) });
  }
  return pool;
}

const WORDS =
  "the a to of and in is for that this with on as it be are by we an not or from can at function file test error value should will use update change fix add remove return type config build run check".split(
    " ",
  );
const sentence = (n) => {
  const w = [];
  for (let i = 0; i < n; i++) w.push(pick(WORDS));
  const s = w.join(" ");
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
};
const paragraph = (n) => Array.from({ length: n }, () => sentence(8 + randInt(14))).join(" ");
const numbered = (text) =>
  text
    .split("\n")
    .map((l, i) => `${String(i + 1).padStart(6)}\t${l}`)
    .join("\n");

// --- planted fake secrets -------------------------------------------------------------------------
let makeGithubToken;
const planted = { total: 0, byKind: {}, sha256: [] };
/** Records a planted secret (its sha256, to check the scan found it) and returns it. */
function plant(kind, secret) {
  planted.total++;
  planted.byKind[kind] = (planted.byKind[kind] ?? 0) + 1;
  planted.sha256.push(createHash("sha256").update(secret, "utf8").digest("hex"));
  return secret;
}
const awsKeyId = () => `AKIA${randStr(16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`;
const awsSecret = () => randStr(40, `${ALNUM}/+`);

// --- Claude Code ----------------------------------------------------------------------------------
function claudeSession(pool, target) {
  const sessionId = uuid();
  const lines = [];
  let size = 0;
  let prev = null;
  let t = Date.UTC(2026, 0, 1) + randInt(30 * 86400) * 1000;
  const push = (rec) => {
    const line = JSON.stringify(rec);
    lines.push(line);
    size += line.length + 1;
  };
  const base = (type, extra) => {
    const uid = uuid();
    t += 1000 + randInt(20000);
    const rec = {
      parentUuid: prev,
      isSidechain: false,
      userType: "external",
      cwd: "/home/dev/project",
      sessionId,
      version: "2.1.12",
      gitBranch: "main",
      type,
      uuid: uid,
      timestamp: new Date(t).toISOString(),
      ...extra,
    };
    prev = uid;
    return rec;
  };
  const assistant = (content) =>
    base("assistant", {
      requestId: `req_${randStr(24)}`,
      message: {
        id: `msg_${randStr(24)}`,
        type: "message",
        role: "assistant",
        model: "claude-opus-4-5",
        content,
        stop_reason: null,
        usage: { input_tokens: randInt(9000), cache_read_input_tokens: randInt(90000), output_tokens: randInt(2000) },
      },
    });
  const toolResult = (id, text, toolUseResult) =>
    base("user", { message: { role: "user", content: [{ type: "tool_result", tool_use_id: id, content: text }] }, toolUseResult });
  const secretsThisSession = 1 + randInt(3);
  let secretsLeft = secretsThisSession;
  while (size < target) {
    if (secretsLeft > 0 && randInt(40) === 0) {
      // A pasted token whose `_` the writer escaped as \u005f: only found once the JSON string is decoded.
      secretsLeft--;
      const token = plant("claude-escaped-token", makeGithubToken());
      const line = JSON.stringify(base("user", { message: { role: "user", content: `use this token: ${token}\nthanks` } }));
      lines.push(line.replace(token, token.replace("_", "\\u005f")));
      size += line.length + 6;
    }
    push(base("user", { message: { role: "user", content: paragraph(1 + randInt(3)) } }));
    if (randInt(50) === 0) {
      // PNG signature and IHDR chunk, then (random) compressed data.
      const png = Buffer.concat([Buffer.from("89504e470d0a1a0a0000000d49484452", "hex"), randBytes(30000 + randInt(120000))]).toString(
        "base64",
      );
      push(
        base("user", {
          message: { role: "user", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: png } }] },
        }),
      );
    }
    push(
      assistant([{ type: "thinking", thinking: paragraph(3 + randInt(6)), signature: randBytes(300 + randInt(900)).toString("base64") }]),
    );
    const steps = 1 + randInt(4);
    for (let s = 0; s < steps; s++) {
      const id = `toolu_${randStr(24)}`;
      const file = pick(pool);
      const plantHere = secretsLeft > 0 && randInt(6) === 0;
      const roll = randInt(100);
      if (roll < 40) {
        let text = file.text;
        let path = `/home/dev/project/${file.path}`;
        if (plantHere) {
          secretsLeft--;
          path = "/home/dev/project/.env";
          text = `# local settings\nDATABASE_URL=postgres://localhost/dev\nAWS_ACCESS_KEY_ID=${awsKeyId()}\nAWS_SECRET_ACCESS_KEY=${plant("claude-read-env", awsSecret())}\n`;
        }
        push(assistant([{ type: "tool_use", id, name: "Read", input: { file_path: path } }]));
        const lines2 = text.split("\n").length;
        push(
          toolResult(id, numbered(text), {
            type: "text",
            file: { filePath: path, content: text, numLines: lines2, startLine: 1, totalLines: lines2 },
          }),
        );
      } else if (roll < 70) {
        let command = pick(["npm test", "git status", "git log --oneline -20", "ls -la src", `cat ${file.path}`, "npx tsc --noEmit"]);
        if (plantHere) {
          secretsLeft--;
          command = `export GITHUB_TOKEN=${plant("claude-bash-command", makeGithubToken())} && gh api repos/acme/app/actions/runs --jq '.workflow_runs[0].status'`;
        }
        const stdout = command.startsWith("cat") ? file.text : `${paragraph(2)}\n${file.text.slice(0, 2000 + randInt(6000))}`;
        push(assistant([{ type: "tool_use", id, name: "Bash", input: { command, description: sentence(5) } }]));
        push(toolResult(id, stdout, { stdout, stderr: "", interrupted: false, isImage: false }));
      } else if (roll < 85) {
        const text = file.text;
        const at = randInt(Math.max(1, text.length - 400));
        const oldString = text.slice(at, at + 40 + randInt(300));
        let newString = `${oldString}\n// ${sentence(6)}`;
        if (plantHere) {
          secretsLeft--;
          newString = `${oldString}\nconst client = new Octokit({ auth: "${plant("claude-edit-new-string", makeGithubToken())}" });`;
        }
        const path = `/home/dev/project/${file.path}`;
        push(assistant([{ type: "tool_use", id, name: "Edit", input: { file_path: path, old_string: oldString, new_string: newString } }]));
        push(
          toolResult(
            id,
            `The file ${path} has been updated. Here's the result of running \`cat -n\` on a snippet:\n${numbered(newString)}`,
            {
              filePath: path,
              oldString,
              newString,
              originalFile: text,
              structuredPatch: [
                {
                  oldStart: 1,
                  oldLines: 3,
                  newStart: 1,
                  newLines: 4,
                  lines: [...oldString.split("\n").map((l) => `-${l}`), ...newString.split("\n").map((l) => `+${l}`)],
                },
              ],
              userModified: false,
              replaceAll: false,
            },
          ),
        );
      } else if (roll < 90) {
        let content = file.text.slice(0, 3000);
        if (plantHere) {
          secretsLeft--;
          content = `{\n  "registry": "https://npm.pkg.github.com",\n  "token": "${plant("claude-write-content", makeGithubToken())}"\n}\n`;
        }
        const path = `/home/dev/project/new/${file.path.split("/").pop()}`;
        push(assistant([{ type: "tool_use", id, name: "Write", input: { file_path: path, content } }]));
        push(toolResult(id, `File created successfully at: ${path}`, { type: "create", filePath: path, content, structuredPatch: [] }));
      } else {
        const pattern = pick(["TODO", "export function", "import ", "throw new"]);
        const out = Array.from({ length: 20 + randInt(60) }, () => `${pick(pool).path}:${1 + randInt(900)}:${sentence(6)}`).join("\n");
        push(assistant([{ type: "tool_use", id, name: "Grep", input: { pattern, path: "src", output_mode: "content" } }]));
        push(toolResult(id, out, { mode: "content", numFiles: 12, filenames: [], content: out, numLines: 40 }));
      }
    }
    push(assistant([{ type: "text", text: `${paragraph(2)}\n\n\`\`\`ts\n${pick(pool).text.slice(0, 800)}\n\`\`\`\n\n${paragraph(1)}` }]));
  }
  return { name: `${sessionId}.jsonl`, text: `${lines.join("\n")}\n` };
}

// --- Codex ----------------------------------------------------------------------------------------
function codexSession(pool, target) {
  const id = uuid();
  let t = Date.UTC(2026, 0, 1) + randInt(30 * 86400) * 1000;
  const lines = [];
  let size = 0;
  const push = (type, payload) => {
    t += 500 + randInt(15000);
    const line = JSON.stringify({ timestamp: new Date(t).toISOString(), type, payload });
    lines.push(line);
    size += line.length + 1;
  };
  const start = new Date(t);
  push("session_meta", {
    id,
    timestamp: start.toISOString(),
    cwd: "/home/dev/project",
    originator: "codex_cli_rs",
    cli_version: "0.46.0",
    instructions: Array.from({ length: 30 }, () => paragraph(2)).join("\n\n"),
    git: { commit_hash: hex(40), branch: "main", repository_url: "git@github.com:acme/app.git" },
  });
  let secretsLeft = 1 + randInt(3);
  while (size < target) {
    push("turn_context", {
      cwd: "/home/dev/project",
      approval_policy: "on-request",
      sandbox_policy: { mode: "workspace-write" },
      model: "gpt-5-codex",
    });
    const prompt = paragraph(1 + randInt(3));
    push("event_msg", { type: "user_message", message: prompt, images: [] });
    push("response_item", { type: "message", role: "user", content: [{ type: "input_text", text: prompt }] });
    const steps = 1 + randInt(4);
    for (let s = 0; s < steps; s++) {
      push("response_item", {
        type: "reasoning",
        summary: [{ type: "summary_text", text: paragraph(1) }],
        content: null,
        encrypted_content: randBytes(1500 + randInt(4000)).toString("base64"),
      });
      const callId = `call_${randStr(24)}`;
      const file = pick(pool);
      const plantHere = secretsLeft > 0 && randInt(5) === 0;
      if (randInt(5) === 0) {
        let patch = `*** Begin Patch\n*** Update File: ${file.path}\n@@\n-${file.text.slice(0, 60).replace(/\n/g, " ")}\n+${sentence(8)}\n*** End Patch`;
        if (plantHere) {
          secretsLeft--;
          patch = `*** Begin Patch\n*** Add File: .npmrc\n+//npm.pkg.github.com/:_authToken=${plant("codex-apply-patch", makeGithubToken())}\n*** End Patch`;
        }
        push("response_item", { type: "custom_tool_call", status: "completed", call_id: callId, name: "apply_patch", input: patch });
        push("response_item", {
          type: "custom_tool_call_output",
          call_id: callId,
          output: JSON.stringify({
            output: `Success. Updated the following files:\nM ${file.path}\n`,
            metadata: { exit_code: 0, duration_seconds: 0 },
          }),
        });
        continue;
      }
      let script = pick([`sed -n '1,200p' ${file.path}`, `cat ${file.path}`, "rg -n TODO src", "npm test --silent"]);
      if (plantHere && randInt(2) === 0) {
        secretsLeft--;
        script = `curl -sS -H "Authorization: Bearer ${plant("codex-function-call-arguments", makeGithubToken())}" https://api.github.com/user`;
      }
      push("response_item", {
        type: "function_call",
        name: "shell",
        arguments: JSON.stringify({ command: ["bash", "-lc", script], workdir: "/home/dev/project", timeout_ms: 120000 }),
        call_id: callId,
      });
      let output = file.text;
      if (plantHere && secretsLeft > 0) {
        secretsLeft--;
        const stripe = `sk_live_${randStr(24)}`;
        output = `STRIPE_KEY=${stripe}\nAWS_ACCESS_KEY_ID=${awsKeyId()}\nAWS_SECRET_ACCESS_KEY=${plant("codex-output-json-in-json", awsSecret())}\n${output.slice(0, 500)}`;
      }
      push("response_item", {
        type: "function_call_output",
        call_id: callId,
        output: JSON.stringify({ output, metadata: { exit_code: 0, duration_seconds: Math.round(rand() * 100) / 100 } }),
      });
      push("event_msg", {
        type: "token_count",
        info: { total_token_usage: { input_tokens: randInt(90000), output_tokens: randInt(9000) } },
        rate_limits: { primary: { used_percent: rand() * 50 } },
      });
    }
    const answer = `${paragraph(2)}\n\n\`\`\`ts\n${pick(pool).text.slice(0, 600)}\n\`\`\``;
    push("response_item", { type: "message", role: "assistant", content: [{ type: "output_text", text: answer }] });
    push("event_msg", { type: "agent_message", message: answer });
  }
  const day = start.toISOString().slice(0, 10).split("-");
  const stamp = start.toISOString().slice(0, 19).replace(/:/g, "-");
  return { name: join("sessions", ...day, `rollout-${stamp}-${id}.jsonl`), text: `${lines.join("\n")}\n` };
}

// --- generation -----------------------------------------------------------------------------------
function stampText() {
  return JSON.stringify({ version: GENERATOR_VERSION, totalMb: TOTAL_MB });
}

async function prepare() {
  const stampPath = join(CACHE, "stamp.json");
  const plantedPath = join(CACHE, "planted.json");
  if (existsSync(stampPath) && readFileSync(stampPath, "utf8") === stampText() && existsSync(plantedPath)) {
    log(`reusing ${CACHE}`);
    return JSON.parse(readFileSync(plantedPath, "utf8"));
  }
  const templates = join(REPO, "dist", "engine", "templates.js");
  if (!existsSync(templates)) throw new Error("build first: npm run build");
  const { generateToken } = await import(templates);
  makeGithubToken = () => generateToken("base62-crc32", "ghp_");
  rmSync(CACHE, { recursive: true, force: true });
  const pool = sourcePool();
  log(`generating ${TOTAL_MB} MB of sessions from ${pool.length} source files into ${CACHE}`);
  let written = 0;
  let n = 0;
  const target = TOTAL_MB * MB;
  while (written < target) {
    const s = n % 2 === 0 ? claudeSession(pool, SESSION_BYTES) : codexSession(pool, SESSION_BYTES);
    const path = n % 2 === 0 ? join(CACHE, ".claude", "projects", "-home-dev-project", s.name) : join(CACHE, ".codex", s.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, s.text);
    written += Buffer.byteLength(s.text);
    n++;
  }
  const history = Array.from({ length: 2000 }, (_, i) =>
    JSON.stringify({
      display: paragraph(1),
      pastedContents: {},
      timestamp: 1767225600000 + i * 60000,
      project: "/home/dev/project",
      sessionId: uuid(),
    }),
  ).join("\n");
  writeFileSync(join(CACHE, ".claude", "history.jsonl"), `${history}\n`);
  writeFileSync(plantedPath, JSON.stringify(planted));
  writeFileSync(stampPath, stampText());
  log(`wrote ${n} sessions, ${(written / MB).toFixed(1)} MB, ${planted.total} planted secrets`);
  return planted;
}

function dirBytes(dir) {
  let total = 0;
  let files = 0;
  const visit = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.name.endsWith(".jsonl")) {
        total += statSync(p).size;
        files++;
      }
    }
  };
  visit(dir);
  return { total, files };
}

/** Busy CPU seconds of the whole machine so far (Linux /proc/stat, USER_HZ 100), or undefined. */
function machineBusySeconds() {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0)) / 100;
  } catch {
    return undefined;
  }
}

/** One `leakgate scan <dir> -f json -o <tmp>` under /usr/bin/time: wall time, peak RSS, CPU time, the report. */
function scanOnce(env, extraArgs) {
  const tmp = mkdtempSync(join(tmpdir(), "leakgate-bench-t-"));
  const report = join(tmp, "report.json");
  const timeOut = join(tmp, "time.txt");
  const cli = [join(REPO, "dist/cli/bin.js"), "scan", CACHE, "--format", "json", "--exit-zero", "--quiet", "-o", report, ...extraArgs];
  const [cmd, args] = hasTimeBin
    ? ["/usr/bin/time", ["-f", "%M %e %U %S", "-o", timeOut, process.execPath, ...cli]]
    : [process.execPath, cli];
  return new Promise((resolvePromise) => {
    const busyBefore = machineBusySeconds();
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: CACHE, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      if (stderr.length < 65536) stderr += d;
    });
    child.on("close", (code) => {
      const wallMs = performance.now() - started;
      const busyAfter = machineBusySeconds();
      const out = { code, wallMs, stderr };
      if (hasTimeBin) {
        try {
          const [kb, , user, sys] = readFileSync(timeOut, "utf8").trim().split("\n").pop().trim().split(/\s+/);
          out.peakRssKb = Number(kb);
          out.cpuSeconds = Number(user) + Number(sys);
          if (busyBefore !== undefined && busyAfter !== undefined)
            out.otherCores = Math.max(0, (busyAfter - busyBefore - out.cpuSeconds) / (wallMs / 1000));
        } catch {
          // time(1) wrote nothing.
        }
      }
      try {
        out.report = JSON.parse(readFileSync(report, "utf8"));
      } catch (error) {
        out.reportError = error.message;
      }
      rmSync(tmp, { recursive: true, force: true });
      resolvePromise(out);
    });
  });
}

async function main() {
  if (!existsSync(join(REPO, "dist", "cli", "bin.js"))) {
    console.error("[bench:transcripts] build first: npm run build");
    process.exit(1);
  }
  const plantedInfo = await prepare();
  const { total, files } = dirBytes(CACHE);
  // The cache is git-ignored inside this repository: stop git discovery above it so all files are scanned.
  const env = { ...process.env, GIT_CEILING_DIRECTORIES: dirname(CACHE) };
  const extraArgs = process.env.BENCH_WORKERS ? ["--workers", process.env.BENCH_WORKERS] : [];
  const fmt = (n, d = 1) => (n === undefined || !Number.isFinite(n) ? "NA" : n.toFixed(d));
  let best;
  for (let i = 0; i < RUNS; i++) {
    const r = await scanOnce(env, extraArgs);
    if (r.code !== 0 || !r.report) {
      log(`scan failed (exit ${r.code}): ${(r.stderr || r.reportError || "").split("\n")[0]}`);
      process.exit(0);
    }
    const mbs = r.report.stats.bytes / MB / (r.wallMs / 1000);
    log(
      `run ${i + 1}: ${(r.wallMs / 1000).toFixed(2)} s, ${mbs.toFixed(1)} MB/s, peak RSS ${r.peakRssKb ? (r.peakRssKb / 1024).toFixed(0) : "NA"} MB, cpu ${fmt(r.cpuSeconds, 2)} s, other load ${fmt(r.otherCores, 2)} cores`,
    );
    if (!best || r.wallMs < best.wallMs) best = r;
  }
  const stats = best.report.stats;
  const found = new Set(best.report.findings.map((f) => f.secretSha256));
  const missed = plantedInfo.sha256.filter((h) => !found.has(h)).length;
  const byRule = {};
  for (const f of best.report.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  const mbs = stats.bytes / MB / (best.wallMs / 1000);
  const cores = Math.min(availableParallelism(), Number(process.env.BENCH_WORKERS ?? availableParallelism()));
  console.log("");
  console.log(
    `files=${files} data_mb=${(total / MB).toFixed(1)} scanned_mb=${(stats.bytes / MB).toFixed(1)} cores=${availableParallelism()}`,
  );
  console.log(
    `wall_s=${(best.wallMs / 1000).toFixed(2)} throughput_mb_s=${mbs.toFixed(1)} peak_rss_mb=${best.peakRssKb ? (best.peakRssKb / 1024).toFixed(0) : "NA"}`,
  );
  // CPU time is what the scan itself needs; with other work on the machine the wall time says less.
  const perCpu = best.cpuSeconds ? stats.bytes / MB / best.cpuSeconds : undefined;
  console.log(
    `cpu_s=${fmt(best.cpuSeconds, 2)} mb_per_cpu_s=${fmt(perCpu)} other_load_cores=${fmt(best.otherCores, 2)} cpu_bound_estimate_mb_s=${fmt(perCpu && perCpu * cores)} (if ${cores} cores were free)`,
  );
  console.log(
    `findings=${best.report.findings.length} planted=${plantedInfo.total} planted_missed=${missed} by_rule=${JSON.stringify(byRule)}`,
  );
  console.log(`planted_by_place=${JSON.stringify(plantedInfo.byKind)}`);
  console.log(`time_bin=${hasTimeBin ? "yes" : "no"} runs=${RUNS}`);
  console.log(`${mbs >= TARGET_MB_S ? "PASS" : "FAIL"} throughput >= ${TARGET_MB_S} MB/s (wall clock)`);
  console.log(`${missed === 0 ? "PASS" : "FAIL"} every planted secret found`);
}

await main();
