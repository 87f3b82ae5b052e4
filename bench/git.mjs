#!/usr/bin/env node
// Git modes benchmark: `npm run bench:git` (after `npm run build`).
//
// 1. staged latency: a repository whose index adds 500 lines to 10 files; `leakgate staged` run
//    BENCH_GIT_RUNS times (default 20, after 2 warm-ups) as a child process, wall time from spawn to
//    exit (process start included). Prints median and p95 against the 150 ms target, next to the floor:
//    `node -e 0` and `leakgate --version`.
// 2. history throughput: a real repository built once in bench/.cache/git-history with `git
//    fast-import` from real source (bench/.cache/tree from `npm run bench` when present, else
//    node_modules): a base snapshot over many commits, then rounds of edits to a share of the files,
//    so it holds a few hundred MB of unique blob content in a packfile, plus a few planted fake
//    secrets. Times the raw `git cat-file --batch-all-objects --batch` read (piped into this process)
//    and `leakgate history --all` (default workers, then --workers 1), and prints MB/s of unique blob
//    content and the ratio to the raw read.
//
// Environment: BENCH_GIT_RUNS, BENCH_GIT_MB (target unique blob MB, default 300), BENCH_GIT_SOURCE
// (directory of source files to build the history from), BENCH_GIT_REBUILD=1, BENCH_GIT_SKIP_STAGED=1,
// BENCH_GIT_SKIP_HISTORY=1, BENCH_GIT_KEEP=1 (keep the staged fixture). A report, not a gate: exits 0 once the measurements ran. MB = 2^20 bytes.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CLI = join(REPO, "dist", "cli", "bin.js");
const CACHE = join(REPO, "bench", ".cache", "git-history");
const MB = 1024 * 1024;
const STAGED_TARGET_MS = 150;
const HISTORY_TARGET_MB_S = 100;

const log = (msg) => console.log(`[bench:git] ${msg}`);
const fmt = (n, d = 1) => (n === undefined || !Number.isFinite(n) ? "NA" : n.toFixed(d));
const envInt = (name, fallback) => {
  const n = Number(process.env[name] ?? fallback);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
const RUNS = envInt("BENCH_GIT_RUNS", 20);
const TARGET_MB = envInt("BENCH_GIT_MB", 300);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.invalid",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
};
const git = (cwd, ...args) => execFileSync("git", args, { cwd, env: GIT_ENV, maxBuffer: 1 << 30 }).toString("utf8");

function percentile(sorted, p) {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Wall times (ms) of `runs` spawns of `node args`, after `warmup` untimed ones. */
function timeSpawns(args, cwd, runs, warmup = 2) {
  const times = [];
  let last;
  for (let i = 0; i < warmup + runs; i++) {
    const t0 = performance.now();
    last = spawnSync(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    const ms = performance.now() - t0;
    if (i >= warmup) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { times, p50: percentile(times, 50), p95: percentile(times, 95), min: times[0], last };
}

// ---------------------------------------------------------------------------------------------
// Source files for the fixtures.

const TEXT_EXT = /\.(js|mjs|cjs|ts|mts|cts|jsx|tsx|json|md|css|scss|html|yml|yaml|txt)$/i;

function collectSource(dir, limitBytes) {
  const out = [];
  let bytes = 0;
  const visit = (d) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch {
      return;
    }
    for (const e of entries) {
      if (bytes >= limitBytes) return;
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== ".git") visit(p);
      } else if (e.isFile() && TEXT_EXT.test(e.name)) {
        const rel = p.slice(dir.length + 1);
        if (/["\n\\]/.test(rel) || rel.startsWith('"')) continue;
        let content;
        try {
          if (statSync(p).size > 1024 * 1024) continue;
          content = readFileSync(p);
        } catch {
          continue;
        }
        if (content.length === 0 || content.subarray(0, 8192).includes(0)) continue;
        out.push({ path: rel, content });
        bytes += content.length;
      }
    }
  };
  visit(dir);
  return { files: out, bytes };
}

function sourceDir() {
  if (process.env.BENCH_GIT_SOURCE) return resolve(process.env.BENCH_GIT_SOURCE);
  const tree = join(REPO, "bench", ".cache", "tree");
  if (existsSync(join(REPO, "bench", ".cache", "tree.stamp.json")) && existsSync(join(tree, "node_modules"))) return tree;
  return join(REPO, "node_modules");
}

// ---------------------------------------------------------------------------------------------
// 1. staged latency

function stagedBench() {
  const dir = mkdtempSync(join(tmpdir(), "leakgate-bench-staged-"));
  git(dir, "init", "-q", "-b", "main");
  const { files } = collectSource(join(REPO, "src"), 10 * MB);
  const picked = files.filter((f) => f.path.endsWith(".ts") && f.content.toString("utf8").split("\n").length >= 120).slice(0, 10);
  if (picked.length < 10) throw new Error("not enough source files under src/ for the staged benchmark");
  const donor = files
    .flatMap((f) => f.content.toString("utf8").split("\n"))
    .filter((l) => l.trim())
    .slice(0, 5000);
  picked.forEach((f, i) => {
    mkdirSync(dirname(join(dir, `f${i}`, f.path)), { recursive: true });
    writeFileSync(join(dir, `f${i}`, f.path), f.content);
  });
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  // 50 added lines per file in two hunks: 500 added lines in 10 files.
  let added = 0;
  picked.forEach((f, i) => {
    const lines = f.content.toString("utf8").split("\n");
    const chunk = (k) => donor.slice((i * 50 + k * 25) % (donor.length - 25), ((i * 50 + k * 25) % (donor.length - 25)) + 25);
    lines.splice(Math.floor(lines.length * 0.7), 0, ...chunk(1));
    lines.splice(Math.floor(lines.length * 0.2), 0, ...chunk(0));
    added += 50;
    writeFileSync(join(dir, `f${i}`, f.path), lines.join("\n"));
  });
  git(dir, "add", "-A");
  const numstat = git(dir, "diff", "--cached", "--numstat").trim().split("\n");
  const addedLines = numstat.reduce((n, l) => n + Number(l.split("\t")[0]), 0);
  log(`staged fixture: ${numstat.length} files, ${addedLines} added lines (${added} planned) in ${dir}`);

  const node = timeSpawns(["-e", "0"], dir, RUNS);
  const version = timeSpawns([CLI, "--version"], dir, RUNS);
  const staged = timeSpawns([CLI, "staged", "--quiet"], dir, RUNS);
  if (staged.last.status !== 0) {
    log(`WARNING: leakgate staged exited ${staged.last.status}: ${staged.last.stdout}${staged.last.stderr}`.trim());
  }
  log(`node -e 0:            p50 ${fmt(node.p50)} ms, p95 ${fmt(node.p95)} ms, min ${fmt(node.min)} ms`);
  log(`leakgate --version:   p50 ${fmt(version.p50)} ms, p95 ${fmt(version.p95)} ms, min ${fmt(version.min)} ms`);
  log(`leakgate staged:      p50 ${fmt(staged.p50)} ms, p95 ${fmt(staged.p95)} ms, min ${fmt(staged.min)} ms (${RUNS} runs)`);
  // With a finding (the report path too).
  writeFileSync(join(dir, "f0", "leak.env"), `DB_PASSWORD=${["Tq9v", "Lm2x", "Rw7p", "Zk4s"].join("")}\n`);
  git(dir, "add", "-A");
  const dirty = timeSpawns([CLI, "staged", "--quiet"], dir, Math.max(5, Math.floor(RUNS / 2)));
  log(`staged with a finding: p50 ${fmt(dirty.p50)} ms, p95 ${fmt(dirty.p95)} ms (exit ${dirty.last.status})`);
  if (process.env.BENCH_GIT_KEEP === "1") log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
  return { node, version, staged, dirty };
}

// ---------------------------------------------------------------------------------------------
// 2. history throughput

/** Writes a fast-import stream with back-pressure. */
async function fastImport(dir, produce) {
  const child = spawn("git", ["fast-import", "--quiet", "--done"], { cwd: dir, env: GIT_ENV, stdio: ["pipe", "inherit", "inherit"] });
  const closed = new Promise((res, rej) =>
    child.on("close", (code) => (code === 0 ? res() : rej(new Error(`git fast-import exited ${code}`)))),
  );
  const write = (chunk) => (child.stdin.write(chunk) ? undefined : new Promise((r) => child.stdin.once("drain", r)));
  await produce(write);
  await write("done\n");
  child.stdin.end();
  await closed;
}

function fakeSecret(n) {
  // Fake, built at run time: the generic password rule reports it.
  const base = ["Tq9v", "Lm2x", "Rw7p", "Zk4s"].join("");
  return `DB_PASSWORD=${base}${n}\n`;
}

async function buildHistory(dir, source, targetBytes) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  const baseBytes = Math.min(targetBytes * 0.65, 1e12);
  const { files, bytes } = collectSource(source, baseBytes);
  if (!files.length) throw new Error(`no source files under ${source}`);
  log(`history fixture: ${files.length} files, ${fmt(bytes / MB)} MB of source from ${source}`);
  let time = 1_600_000_000;
  let mark = 0;
  let unique = 0;
  let commits = 0;
  const seen = new Set();
  const hashOf = (buf) => createHash("sha1").update(`blob ${buf.length}\0`).update(buf).digest("hex");
  await fastImport(dir, async (write) => {
    const commit = async (message, changes) => {
      mark++;
      commits++;
      time += 3600;
      const msg = Buffer.from(message);
      await write(
        `commit refs/heads/main\nmark :${mark}\nauthor Bench <bench@example.invalid> ${time} +0000\ncommitter Bench <bench@example.invalid> ${time} +0000\ndata ${msg.length}\n${message}\n${mark > 1 ? `from :${mark - 1}\n` : ""}`,
      );
      for (const c of changes) {
        if (c.delete) {
          await write(`D ${c.path}\n`);
          continue;
        }
        const h = hashOf(c.content);
        if (!seen.has(h)) {
          seen.add(h);
          unique += c.content.length;
        }
        await write(`M 100644 inline ${c.path}\ndata ${c.content.length}\n`);
        await write(c.content);
        await write("\n");
      }
    };
    // Base snapshot: about 5 MB per commit, in path order (package by package).
    let batch = [];
    let batchBytes = 0;
    for (const f of files) {
      batch.push(f);
      batchBytes += f.content.length;
      if (batchBytes >= 5 * MB) {
        await commit(`import ${batch[0].path.split("/").slice(0, 2).join("/")}`, batch);
        batch = [];
        batchBytes = 0;
      }
    }
    if (batch.length) await commit("import the rest", batch);
    // Planted secrets: one added then removed, one that stays.
    await commit("add settings", [{ path: "config/settings.env", content: Buffer.from(`HOST=example.org\n${fakeSecret(1)}`) }]);
    await commit("remove settings", [{ path: "config/settings.env", delete: true }]);
    await commit("add deploy env", [{ path: "deploy/.env", content: Buffer.from(fakeSecret(2)) }]);
    // Edit rounds until the target: each round edits every 7th file (a shifting subset) in 4 commits.
    const current = files.map((f) => ({ path: f.path, content: f.content }));
    for (let round = 1; unique < targetBytes && round <= 50; round++) {
      const edited = current.filter((_, i) => (i + round) % 7 === 0);
      const chunkSize = Math.ceil(edited.length / 4);
      for (let c = 0; c < edited.length; c += chunkSize) {
        const changes = edited.slice(c, c + chunkSize).map((f) => {
          const text = f.content.toString("utf8");
          const at = text.indexOf("\n", Math.floor(text.length * ((round * 37) % 100) * 0.01));
          const pos = at === -1 ? text.length : at + 1;
          f.content = Buffer.from(`${text.slice(0, pos)}// revision ${round}: keep this line in sync\n${text.slice(pos)}`);
          return f;
        });
        await commit(`round ${round} part ${c / chunkSize + 1}`, changes);
        if (unique >= targetBytes) break;
      }
    }
  });
  log(`history fixture: ${commits} commits, ${fmt(unique / MB)} MB of unique blob content; repacking ...`);
  git(dir, "repack", "-a", "-d", "-q");
  const pack = git(dir, "count-objects", "-vH")
    .split("\n")
    .find((l) => l.startsWith("size-pack"));
  writeFileSync(join(dir, ".git", "leakgate-bench-stamp.json"), JSON.stringify({ targetBytes, source, unique, commits }));
  log(`history fixture ready (${pack})`);
}

const HAS_TIME = existsSync("/usr/bin/time");

/** `/usr/bin/time` prefix writing `%e %U %S %M` (wall, user, sys, peak RSS KB) to `file`, when available. */
function timed(file, cmd, args) {
  return HAS_TIME ? ["/usr/bin/time", ["-f", "%e %U %S %M", "-o", file, cmd, ...args]] : [cmd, args];
}

function readTimeFile(file) {
  try {
    const [wall, user, sys, rss] = readFileSync(file, "utf8").trim().split("\n").pop().split(" ").map(Number);
    return { cpuS: user + sys, rssMb: rss / 1024, wallS: wall };
  } catch {
    return { cpuS: undefined, rssMb: undefined };
  }
}

/** Times `git cat-file --batch-all-objects --batch` with its output piped into this process. */
function rawCatFile(dir) {
  const timeFile = join(mkdtempSync(join(tmpdir(), "leakgate-bench-raw-")), "time");
  const [cmd, args] = timed(timeFile, "git", ["cat-file", "--batch-all-objects", "--batch"]);
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { cwd: dir, stdio: ["ignore", "pipe", "inherit"] });
    let bytes = 0;
    child.stdout.on("data", (d) => {
      bytes += d.length;
    });
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      const { cpuS } = readTimeFile(timeFile);
      rmSync(dirname(timeFile), { recursive: true, force: true });
      if (code === 0) res({ ms, bytes, cpuS });
      else rej(new Error(`cat-file exited ${code}`));
    });
  });
}

/** Unique blob bytes reachable from every ref (what history reads, before its size cap). */
function uniqueBlobBytes(dir) {
  const out = execFileSync(
    "sh",
    ["-c", "git rev-list --objects --all | git cat-file --batch-check='%(objecttype) %(objectsize) %(rest)'"],
    {
      cwd: dir,
      maxBuffer: 1 << 30,
    },
  ).toString("utf8");
  let bytes = 0;
  let blobs = 0;
  for (const line of out.split("\n")) {
    if (!line.startsWith("blob ")) continue;
    blobs++;
    bytes += Number(line.split(" ")[1]);
  }
  return { bytes, blobs };
}

function timeHistory(dir, extra) {
  const tmp = mkdtempSync(join(tmpdir(), "leakgate-bench-h-"));
  const out = join(tmp, "report.json");
  const [cmd, args] = timed(join(tmp, "time"), process.execPath, [
    CLI,
    "history",
    "--all",
    "-f",
    "json",
    "-o",
    out,
    "--exit-zero",
    "-q",
    ...extra,
  ]);
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`leakgate history failed (${r.status}): ${r.stderr.toString().slice(0, 500)}`);
  const report = JSON.parse(readFileSync(out, "utf8"));
  const { cpuS, rssMb } = readTimeFile(join(tmp, "time"));
  rmSync(tmp, { recursive: true, force: true });
  return { ms, report, rssMb, cpuS };
}

async function historyBench() {
  const source = sourceDir();
  const targetBytes = TARGET_MB * MB;
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(CACHE, ".git", "leakgate-bench-stamp.json"), "utf8"));
  } catch {
    stamp = undefined;
  }
  if (process.env.BENCH_GIT_REBUILD === "1" || !stamp || stamp.targetBytes !== targetBytes || stamp.source !== source) {
    log(`building the history fixture in ${CACHE} (once) ...`);
    const t0 = performance.now();
    await buildHistory(CACHE, source, targetBytes);
    log(`built in ${fmt((performance.now() - t0) / 1000)} s`);
  } else {
    log(`reusing the history fixture ${CACHE} (${stamp.commits} commits)`);
  }
  const unique = uniqueBlobBytes(CACHE);
  log(`unique blobs: ${unique.blobs}, ${fmt(unique.bytes / MB)} MB`);

  await rawCatFile(CACHE); // warm the page cache
  const raws = [await rawCatFile(CACHE), await rawCatFile(CACHE), await rawCatFile(CACHE)].sort((a, b) => a.ms - b.ms);
  const raw = raws[1];
  log(
    `raw git cat-file --batch-all-objects --batch: ${fmt(raw.bytes / MB)} MB out in ${fmt(raw.ms / 1000, 2)} s (median of 3; ${fmt(raw.cpuS, 2)} CPU s) = ${fmt(raw.bytes / MB / (raw.ms / 1000))} MB/s`,
  );

  const runs = [timeHistory(CACHE, []), timeHistory(CACHE, []), timeHistory(CACHE, [])].sort((a, b) => a.ms - b.ms);
  const h = runs[1];
  const stats = h.report.stats;
  const mbs = unique.bytes / MB / (h.ms / 1000);
  log(
    `leakgate history --all (${availableParallelism()} workers): ${fmt(h.ms / 1000, 2)} s = ${fmt(mbs)} MB/s of unique blob content, ` +
      `${fmt(h.cpuS, 1)} CPU s, peak RSS ${fmt(h.rssMb)} MB, ${h.report.findings.length} findings (${stats.files} blobs scanned, ${fmt(stats.bytes / MB)} MB, ${stats.skipped} skipped)`,
  );
  const w1 = timeHistory(CACHE, ["--workers", "1"]);
  log(
    `leakgate history --all --workers 1: ${fmt(w1.ms / 1000, 2)} s = ${fmt(unique.bytes / MB / (w1.ms / 1000))} MB/s, ${fmt(w1.cpuS, 1)} CPU s, peak RSS ${fmt(w1.rssMb)} MB`,
  );
  // What the CPU work alone allows on idle cores, whatever else is running meanwhile.
  if (h.cpuS) {
    const cores = availableParallelism();
    log(
      `CPU-bound estimate: ${fmt(unique.bytes / MB / (h.cpuS / cores))} MB/s on ${cores} idle cores (${fmt(h.cpuS, 1)} CPU s for ${fmt(unique.bytes / MB)} MB, git included)`,
    );
  }
  const planted = h.report.findings.filter((f) => f.path === "config/settings.env" || f.path === "deploy/.env");
  log(`planted secrets found: ${planted.map((f) => `${f.path}@${(f.commit ?? "?").slice(0, 8)}`).join(", ") || "NONE"}`);
  return { mbs, ratio: h.ms / raw.ms, raw, h, w1, unique };
}

async function main() {
  if (!existsSync(CLI)) {
    console.error(`[bench:git] ${CLI} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  log(
    `node ${process.version}, ${availableParallelism()} cores, load average ${loadavg()
      .map((l) => fmt(l, 2))
      .join(" ")}`,
  );
  const summary = [];
  if (process.env.BENCH_GIT_SKIP_STAGED !== "1") {
    const s = stagedBench();
    summary.push(`staged_p50_ms=${fmt(s.staged.p50)}`, `staged_p95_ms=${fmt(s.staged.p95)}`, `staged_min_ms=${fmt(s.staged.min)}`);
    summary.push(`node_start_p50_ms=${fmt(s.node.p50)}`, `cli_version_p50_ms=${fmt(s.version.p50)}`);
    summary.push(`staged_target: ${s.staged.p50 < STAGED_TARGET_MS ? "PASS" : "FAIL"} (p50 < ${STAGED_TARGET_MS} ms)`);
  }
  if (process.env.BENCH_GIT_SKIP_HISTORY !== "1") {
    const h = await historyBench();
    summary.push(`history_mb_s=${fmt(h.mbs)}`, `history_vs_raw_catfile=${fmt(h.ratio, 2)}x`, `raw_catfile_s=${fmt(h.raw.ms / 1000, 2)}`);
    summary.push(`history_s=${fmt(h.h.ms / 1000, 2)}`, `history_cpu_s=${fmt(h.h.cpuS, 1)}`, `history_peak_rss_mb=${fmt(h.h.rssMb)}`);
    summary.push(`history_workers1_mb_s=${fmt(h.unique.bytes / MB / (h.w1.ms / 1000))}`);
    summary.push(`history_target: ${h.mbs >= HISTORY_TARGET_MB_S ? "PASS" : "FAIL"} (>= ${HISTORY_TARGET_MB_S} MB/s)`);
  }
  log(
    `load average at the end ${loadavg()
      .map((l) => fmt(l, 2))
      .join(" ")} (other processes skew these figures)`,
  );
  console.log("");
  for (const line of summary) console.log(line);
}

main().catch((error) => {
  console.error(`[bench:git] ${error.stack ?? error}`);
  process.exit(1);
});
