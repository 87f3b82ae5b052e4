#!/usr/bin/env node
// Throughput benchmark: `npm run bench` (after `npm run build`).
//
// 1. Prepares a ~460 MB (23.5k files) tree of real JavaScript/TypeScript source (pinned npm packages, see
//    bench/lib/tree.mjs) in bench/.cache/tree, reused while its stamp matches; or uses BENCH_TREE=<dir>.
// 2. Times a raw read of the same files (readFileSync each, after a warm-up pass).
// 3. Times the built CLI over the tree as a child process, best of BENCH_RUNS (default 3), with peak
//    RSS from /usr/bin/time (worker threads included); then once more with --workers 1.
// 4. Prints a summary of key=value lines and PASS/FAIL against the targets. Always exits 0 once the
//    measurements ran: it is a report, not a gate.
//
// Environment: BENCH_TREE=<dir> (benchmark that directory instead), BENCH_RUNS=<n>,
// BENCH_TIMEOUT_S=<s> (per scan, default 1800), BENCH_SKIP_WORKERS1=1, BENCH_UPDATE_LOCK=1 (store the
// lockfile of a fresh install as bench/lib/tree-lock.json).
// MB here is 2^20 bytes throughout.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isDirectory, listFiles, readAll, walkFiles } from "./lib/files.mjs";
import { hasTimeBin, runScan } from "./lib/measure.mjs";
import { installTree, readStamp, treeIsCurrent, writeStamp } from "./lib/tree.mjs";

const TARGET_THROUGHPUT_MB_S = 150;
const TARGET_PEAK_RSS_MB = 400;

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CACHE_TREE = join(REPO, "bench", ".cache", "tree");
const MB = 1024 * 1024;

const log = (msg) => console.log(`[bench] ${msg}`);
const fmt = (n, digits = 1) => (n === undefined || !Number.isFinite(n) ? "NA" : n.toFixed(digits));
const mbps = (bytes, ms) => bytes / MB / (ms / 1000);

function envInt(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`[bench] ${name} must be a whole number >= ${min}, got "${raw}"`);
    process.exit(1);
  }
  return n;
}

const RUNS = envInt("BENCH_RUNS", 3, 1);
const TIMEOUT_MS = envInt("BENCH_TIMEOUT_S", 1800, 1) * 1000;

/** The git work tree containing `dir` under `env`, if any (the scanner then lists files with git). */
function gitTopLevel(dir, env) {
  try {
    return execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: dir, env, stdio: ["ignore", "pipe", "ignore"] })
      .toString("utf8")
      .trim();
  } catch {
    return undefined;
  }
}

/** Changes whenever dist/ is rebuilt (others may rebuild while the benchmark runs). */
function distStamp() {
  let latest = 0;
  let count = 0;
  const visit = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else {
        count++;
        latest = Math.max(latest, statSync(p).mtimeMs);
      }
    }
  };
  try {
    visit(join(REPO, "dist"));
  } catch {
    return "unreadable";
  }
  return `${count}@${latest}`;
}

function describeFailure(label, r) {
  console.log(
    `[bench] ${label}: scan FAILED (${r.timedOut ? `timed out after ${TIMEOUT_MS / 1000} s` : `exit ${r.code}${r.signal ? `, signal ${r.signal}` : ""}`})`,
  );
  if (r.reportError) console.log(`[bench]   no usable JSON report: ${r.reportError}`);
  const tail = (r.stderr || r.stdout || "").trim().split("\n").slice(-20);
  for (const line of tail) if (line) console.log(`[bench]   | ${line}`);
}

async function prepareTree() {
  const custom = process.env.BENCH_TREE;
  if (custom) {
    const dir = resolve(custom);
    if (!isDirectory(dir)) {
      console.error(`[bench] BENCH_TREE=${custom}: not a directory`);
      process.exit(1);
    }
    log(`using BENCH_TREE=${dir} (no preparation)`);
    return { dir, env: process.env, custom: true, installed: false };
  }
  // The cache lives inside this repo's work tree but is git-ignored, so the scanner (which lists files
  // with git inside a work tree) would find nothing there. Stop git's discovery at the tree, so it is
  // scanned as the plain directory it stands for (fast-glob, node_modules included).
  const env = { ...process.env, GIT_CEILING_DIRECTORIES: dirname(CACHE_TREE) };
  if (treeIsCurrent(CACHE_TREE)) {
    log(`reusing cached tree ${CACHE_TREE}`);
    return { dir: CACHE_TREE, env, custom: false, installed: false };
  }
  log(existsSync(CACHE_TREE) ? `cached tree is stale or partial: re-creating ${CACHE_TREE}` : `creating ${CACHE_TREE}`);
  await installTree(CACHE_TREE, log);
  return { dir: CACHE_TREE, env, custom: false, installed: true };
}

async function main() {
  const cli = join(REPO, "dist", "cli", "bin.js");
  if (!existsSync(cli)) {
    console.error(`[bench] ${cli} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  log(
    `node ${process.version}, ${availableParallelism()} cores, runs=${RUNS}, peak RSS via ${hasTimeBin ? "/usr/bin/time" : "(unavailable: /usr/bin/time missing)"}`,
  );

  // 1. The tree.
  const tree = await prepareTree();
  // Our own enumeration goes through the same git discovery as the scanner's.
  if (tree.env.GIT_CEILING_DIRECTORIES) process.env.GIT_CEILING_DIRECTORIES = tree.env.GIT_CEILING_DIRECTORIES;
  // Verified with a plain walk, not the scanner's enumeration, which may change with the code.
  let walked = walkFiles(tree.dir);
  if (!tree.custom) {
    const stamp = readStamp(tree.dir);
    if (!tree.installed && stamp?.files !== undefined && (stamp.files !== walked.files || stamp.bytes !== walked.bytes)) {
      log(
        `cached tree changed since it was installed (${stamp.files} files / ${stamp.bytes} bytes then, ${walked.files} / ${walked.bytes} now): re-creating`,
      );
      await installTree(tree.dir, log);
      tree.installed = true;
      walked = walkFiles(tree.dir);
    }
    if (tree.installed || stamp?.files === undefined) writeStamp(tree.dir, { files: walked.files, bytes: walked.bytes });
  }
  log("listing files ...");
  const list = await listFiles(REPO, tree.dir);
  const top = gitTopLevel(tree.dir, tree.env);
  log(`tree: ${tree.dir}`);
  log(`  ${fmt(list.bytes / MB)} MB in ${list.files.length} files (listed by ${list.how})`);
  if (walked.files !== list.files.length) {
    log(
      `  NOTE: a plain walk finds ${walked.files} files (${fmt(walked.bytes / MB)} MB); the scanner's enumeration leaves ${walked.files - list.files.length} out`,
    );
  }
  log(`  the scanner lists it with ${top ? `git ls-files (inside the work tree ${top})` : "fast-glob (not a git work tree)"}`);
  if (list.files.length === 0) {
    console.error("[bench] the tree has no files to scan");
    process.exit(1);
  }
  const biggest = [...list.files].sort((a, b) => b.size - a.size).slice(0, 3);
  log(`  largest: ${biggest.map((f) => `${f.path.slice(tree.dir.length + 1)} (${fmt(f.size / MB)} MB)`).join(", ")}`);

  // 2. Raw read baseline.
  log("raw read: warm-up pass ...");
  readAll(list.files);
  log("raw read: timed pass ...");
  const raw = readAll(list.files);
  const rawMbS = mbps(raw.bytes, raw.ms);
  log(`raw read: ${fmt(raw.bytes / MB)} MB in ${fmt(raw.ms / 1000, 2)} s = ${fmt(rawMbS)} MB/s`);

  // 3. The CLI.
  const distAtStart = distStamp();
  let distChanged = false;
  const noteRebuild = (label) => {
    if (!distChanged && distStamp() !== distAtStart) {
      distChanged = true;
      log(`WARNING: dist/ was rebuilt during the benchmark (noticed after ${label}): the figures mix builds`);
    }
  };
  const runs = [];
  for (let i = 1; i <= RUNS; i++) {
    log(`scan run ${i}/${RUNS} (default workers = ${availableParallelism()}) ...`);
    const r = await runScan({ repoDir: REPO, dir: tree.dir, env: tree.env, timeoutMs: TIMEOUT_MS });
    if (!r.ok) {
      describeFailure(`run ${i}`, r);
      runs.push(r);
      break;
    }
    log(
      `  ${fmt(r.wallMs / 1000, 2)} s = ${fmt(mbps(list.bytes, r.wallMs))} MB/s, peak RSS ${fmt(r.peakRssKb / 1024)} MB, ${r.findings} findings, ${fmt(r.cpuSeconds, 1)} CPU s` +
        ` (scanner: ${r.stats.files} files, ${fmt(r.stats.bytes / MB)} MB, ${r.stats.skipped} skipped, ${fmt(r.stats.durationMs / 1000, 2)} s inside)`,
    );
    if (r.otherCores > 0.25) log(`  (other processes used ${fmt(r.otherCores, 2)} cores meanwhile)`);
    runs.push(r);
    noteRebuild(`run ${i}`);
  }
  const good = runs.filter((r) => r.ok);
  const best = good.length ? good.reduce((a, b) => (b.wallMs < a.wallMs ? b : a)) : undefined;
  const peakKb = good.length && hasTimeBin ? Math.max(...good.map((r) => r.peakRssKb ?? 0)) : undefined;

  let w1;
  if (process.env.BENCH_SKIP_WORKERS1 === "1") {
    log("single-worker run skipped (BENCH_SKIP_WORKERS1=1)");
  } else {
    log("scan with --workers 1 ...");
    w1 = await runScan({ repoDir: REPO, dir: tree.dir, env: tree.env, timeoutMs: TIMEOUT_MS, extraArgs: ["--workers", "1"] });
    noteRebuild("the --workers 1 run");
    if (w1.ok) {
      log(
        `  ${fmt(w1.wallMs / 1000, 2)} s = ${fmt(mbps(list.bytes, w1.wallMs))} MB/s, peak RSS ${fmt(w1.peakRssKb / 1024)} MB, ${w1.findings} findings, ${fmt(w1.cpuSeconds, 1)} CPU s`,
      );
      if (best && w1.findings !== best.findings) log(`  NOTE: --workers 1 found ${w1.findings} findings, the default run ${best.findings}`);
    } else {
      describeFailure("--workers 1", w1);
    }
  }

  if (best) {
    if (best.stats.files + best.stats.skipped !== list.files.length && best.stats.files !== list.files.length) {
      log(
        `NOTE: the scanner reported ${best.stats.files} files scanned + ${best.stats.skipped} skipped; the benchmark listed ${list.files.length}`,
      );
    }
    const rules = Object.entries(best.byRule).sort((a, b) => b[1] - a[1]);
    if (rules.length) {
      log(
        `findings by rule (top ${Math.min(10, rules.length)} of ${rules.length}): ${rules
          .slice(0, 10)
          .map(([id, n]) => `${id}=${n}`)
          .join(" ")}`,
      );
    }
  }

  // 4. Summary.
  const throughput = best ? mbps(list.bytes, best.wallMs) : undefined;
  const others = [...runs, ...(w1 ? [w1] : [])].map((r) => r.otherCores).filter((x) => x !== undefined);
  const otherMax = others.length ? Math.max(...others) : undefined;
  if (otherMax !== undefined && otherMax > 0.25) {
    log(
      `WARNING: other processes kept up to ${fmt(otherMax, 2)} of ${availableParallelism()} cores busy during the scans: figures are low and noisy`,
    );
  }
  const peakMb = peakKb === undefined ? undefined : peakKb / 1024;
  const w1ok = w1?.ok ? w1 : undefined;
  const lines = [
    `tree=${tree.dir}`,
    `tree_mb=${fmt(list.bytes / MB)}`,
    `tree_files=${list.files.length}`,
    `raw_read_mb_s=${fmt(rawMbS)}`,
    `raw_read_s=${fmt(raw.ms / 1000, 3)}`,
    `runs=${good.length}/${RUNS}`,
    `workers_default=${availableParallelism()}`,
    `wall_s=${fmt(best && best.wallMs / 1000, 3)}`,
    `throughput_mb_s=${fmt(throughput)}`,
    `peak_rss_mb=${fmt(peakMb)}`,
    `findings=${best ? best.findings : "NA"}`,
    `scan_vs_raw_read_x=${fmt(best && best.wallMs / raw.ms, 2)}`,
    `workers1_wall_s=${fmt(w1ok && w1ok.wallMs / 1000, 3)}`,
    `workers1_throughput_mb_s=${fmt(w1ok && mbps(list.bytes, w1ok.wallMs))}`,
    `workers1_peak_rss_mb=${fmt(w1ok?.peakRssKb && w1ok.peakRssKb / 1024)}`,
    `workers1_findings=${w1ok ? w1ok.findings : "NA"}`,
    `workers1_vs_raw_read_x=${fmt(w1ok && w1ok.wallMs / raw.ms, 2)}`,
    `other_cpu_cores_max=${fmt(otherMax, 2)}`,
    `dist_rebuilt_during_bench=${distChanged ? "yes" : "no"}`,
    `target_throughput=${throughput !== undefined && throughput >= TARGET_THROUGHPUT_MB_S ? "PASS" : "FAIL"} (${fmt(throughput)} MB/s, target >= ${TARGET_THROUGHPUT_MB_S})`,
    `target_peak_rss=${peakMb !== undefined && peakMb < TARGET_PEAK_RSS_MB ? "PASS" : "FAIL"} (${fmt(peakMb)} MB, target < ${TARGET_PEAK_RSS_MB})`,
  ];
  console.log("\n===== leakgate bench summary =====");
  for (const l of lines) console.log(l);
  console.log("==================================");
}

main().catch((error) => {
  console.error(`[bench] error: ${error.stack ?? error.message}`);
  process.exit(1);
});
