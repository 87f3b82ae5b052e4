// Prepares the benchmark tree: a pinned set of popular npm packages installed into bench/.cache/tree.
// The tree is reused while its stamp file matches the pinned list; anything else (no stamp, another
// list, an interrupted install) is wiped and installed again.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const LIB_DIR = dirname(fileURLToPath(import.meta.url));

/** Exact versions only: the tree must be the same from one run (and one machine) to the next. */
export const PINNED = {
  typescript: "5.7.2",
  "@babel/core": "7.26.0",
  webpack: "5.97.1",
  eslint: "9.17.0",
  lodash: "4.17.21",
  rxjs: "7.8.1",
  "aws-sdk": "2.1692.0",
  "@angular/core": "19.0.5",
  next: "15.1.3",
  react: "19.0.0",
  "react-dom": "19.0.0",
  three: "0.171.0",
  moment: "2.30.1",
  "pdfjs-dist": "4.9.155",
  "monaco-editor": "0.52.2",
};

/**
 * Optional dependencies are left out: they are prebuilt native binaries chosen per platform (next's
 * 140 MB swc addon, sharp, skia), so with them the tree would differ between machines, and they are
 * not source anyway.
 */
const NPM_FLAGS = ["--ignore-scripts", "--no-audit", "--no-fund", "--omit=optional", "--loglevel=error"];

/** Transitive versions are pinned too when this lockfile (made by a previous install) matches PINNED. */
export const LOCK_FILE = join(LIB_DIR, "tree-lock.json");

/** Beside the tree, not in it, so the stamp is not part of what is scanned. */
const stampPath = (treeDir) => `${treeDir}.stamp.json`;

/** Identifies what the tree was installed from: the pinned list, the npm flags and the lockfile used, if any. */
function pinnedKey() {
  const lock = usableLock() ? readFileSync(LOCK_FILE) : "";
  return createHash("sha256").update(JSON.stringify({ PINNED, NPM_FLAGS })).update(lock).digest("hex").slice(0, 16);
}

function sameDeps(a, b) {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}

/** The stored lockfile, when it was made for exactly the pinned list. */
function usableLock() {
  if (!existsSync(LOCK_FILE)) return undefined;
  try {
    const lock = JSON.parse(readFileSync(LOCK_FILE, "utf8"));
    return sameDeps(lock.packages?.[""]?.dependencies, PINNED) ? lock : undefined;
  } catch {
    return undefined;
  }
}

export function readStamp(treeDir) {
  try {
    return JSON.parse(readFileSync(stampPath(treeDir), "utf8"));
  } catch {
    return undefined;
  }
}

/** True when the tree at `treeDir` was completely installed from the current pinned list. */
export function treeIsCurrent(treeDir) {
  const stamp = readStamp(treeDir);
  return !!stamp && stamp.key === pinnedKey() && existsSync(join(treeDir, "node_modules"));
}

/** Records a finished install; written last, so a tree without it is known to be partial. */
export function writeStamp(treeDir, extra) {
  const stamp = { key: pinnedKey(), pinned: PINNED, flags: NPM_FLAGS, node: process.version, ...extra };
  writeFileSync(stampPath(treeDir), `${JSON.stringify(stamp, null, 2)}\n`);
}

/**
 * (Re)creates the tree from scratch. Installs into a sibling staging directory and renames it into
 * place, so an interrupted install never leaves something that looks like a tree.
 */
export async function installTree(treeDir, log) {
  const parent = dirname(treeDir);
  mkdirSync(parent, { recursive: true });
  rmSync(stampPath(treeDir), { force: true });
  // Leftovers of interrupted installs; one that cannot be removed yet (an orphaned npm may still be
  // writing there) is left for a later run, since this run stages under its own name.
  const base = basename(treeDir);
  for (const name of readdirSync(parent)) {
    if (name.startsWith(`${base}.partial`)) removeQuietly(join(parent, name));
  }
  const staging = `${treeDir}.partial-${process.pid}`;
  mkdirSync(staging, { recursive: true });
  writeFileSync(
    join(staging, "package.json"),
    `${JSON.stringify({ name: "leakgate-bench-tree", private: true, description: "leakgate throughput benchmark corpus (generated)", dependencies: PINNED }, null, 2)}\n`,
  );
  const lock = usableLock();
  let args;
  if (lock) {
    copyFileSync(LOCK_FILE, join(staging, "package-lock.json"));
    args = ["ci", ...NPM_FLAGS];
    log(`installing ${Object.keys(PINNED).length} pinned packages with the stored lockfile (npm ci) ...`);
  } else {
    args = ["install", ...NPM_FLAGS];
    log(`installing ${Object.keys(PINNED).length} pinned packages (npm install; no matching bench/lib/tree-lock.json) ...`);
  }
  log(
    `  ${Object.entries(PINNED)
      .map(([n, v]) => `${n}@${v}`)
      .join(" ")}`,
  );
  const started = performance.now();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const res = await runChild(npm, args, staging);
  if (res.error || res.code !== 0) {
    removeQuietly(staging);
    throw new Error(`npm ${args[0]} failed (${res.error ? res.error.message : `exit ${res.code ?? res.signal}`})`);
  }
  log(`npm ${args[0]} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (!lock && process.env.BENCH_UPDATE_LOCK === "1") {
    copyFileSync(join(staging, "package-lock.json"), LOCK_FILE);
    log(`stored the lockfile as ${LOCK_FILE}`);
  }
  rmSync(treeDir, { recursive: true, force: true, maxRetries: 3 });
  renameSync(staging, treeDir);
}

function removeQuietly(path) {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // Retried by a later run.
  }
}

/** Runs npm; if this benchmark is interrupted (Ctrl-C, kill), npm is stopped too instead of writing on alone. */
function runChild(cmd, args, cwd) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"], env: process.env });
    const forward = (signal) => {
      // npm keeps writing for a while after SIGTERM; the staging directory is thrown away anyway.
      child.kill("SIGKILL");
      process.exit(signal === "SIGINT" ? 130 : 143);
    };
    process.once("SIGINT", forward);
    process.once("SIGTERM", forward);
    const done = (result) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(result);
    };
    child.on("error", (error) => done({ error }));
    child.on("close", (code, signal) => done({ code, signal }));
  });
}
