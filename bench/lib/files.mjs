// The file list of the tree (the scanner's own enumeration when the build provides it) and the raw
// read baseline over exactly those files.
import { lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Regular files under `dir`, not following symlinks, skipping `.git` (what the scanner does outside git, minus .gitignore). */
function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== ".git") walk(p, out);
    } else if (e.isFile()) {
      out.push(p);
    }
  }
}

/** Every regular file under `dir` (plain walk, independent of the scanner) with the total size. */
export function walkFiles(dir) {
  const paths = [];
  walk(dir, paths);
  let bytes = 0;
  for (const p of paths) {
    try {
      bytes += lstatSync(p).size;
    } catch {
      // Vanished meanwhile.
    }
  }
  return { files: paths.length, bytes };
}

/**
 * Lists the files the scanner would read under `dir` with their sizes. Uses the built
 * `dist/sources/enumerate.js` so the list matches the scanner's (.gitignore, git mode); falls back to a
 * plain walk if that module is missing or its API changed.
 */
export async function listFiles(repoDir, dir) {
  let paths;
  let how;
  try {
    const mod = await import(pathToFileURL(join(repoDir, "dist/sources/enumerate.js")).href);
    const entries = await mod.enumerateFiles([dir], dir);
    paths = entries.map((e) => e.abs);
    how = "scanner enumeration (dist/sources/enumerate.js)";
  } catch (error) {
    paths = [];
    walk(dir, paths);
    how = `plain directory walk (scanner enumeration unavailable: ${error.message.split("\n")[0]})`;
  }
  const files = [];
  let bytes = 0;
  for (const p of paths) {
    let size;
    try {
      const st = lstatSync(p);
      if (!st.isFile()) continue;
      size = st.size;
    } catch {
      continue;
    }
    files.push({ path: p, size });
    bytes += size;
  }
  return { files, bytes, how };
}

/** Reads every file into a Buffer once; returns the wall time in ms and the bytes actually read. */
export function readAll(files) {
  const started = performance.now();
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += readFileSync(f.path).length;
    } catch {
      // A file that vanished or is unreadable is skipped by the scanner too.
    }
  }
  return { ms: performance.now() - started, bytes };
}

export function isDirectory(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
