import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Ignore } from "ignore";
import { SourceError } from "../errors.js";
import { createIgnore } from "../filters/allowlist.js";

export interface FileEntry {
  /** Absolute path, for reading. */
  abs: string;
  /** Path as reported: relative to the working directory when under it, forward slashes. */
  rel: string;
}

export function displayPath(abs: string, cwd: string): string {
  const r = relative(cwd, abs);
  const shown = !r || r.startsWith("..") || isAbsolute(r) ? abs : r;
  return shown.split(sep).join("/");
}

/** The work tree root when `dir` is inside a git work tree, else undefined. */
export function gitTopLevel(dir: string): string | undefined {
  try {
    const out = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd: dir, stdio: ["ignore", "pipe", "ignore"] });
    return out.toString("utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Tracked plus untracked-but-not-ignored files under `dir` (`git ls-files -z`, so any file name works). */
function gitFiles(dir: string): string[] {
  let out: Buffer;
  try {
    out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--full-name", "--", "."], {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 1024 * 1024 * 1024,
    });
  } catch (error) {
    throw new SourceError(
      `git ls-files failed in ${dir}: ${
        String((error as { stderr?: Buffer }).stderr ?? "")
          .trim()
          .split("\n")[0]
      }`,
    );
  }
  const top = gitTopLevel(dir) as string;
  const seen = new Set<string>();
  const files: string[] = [];
  for (const name of out.toString("utf8").split("\0")) {
    // ls-files repeats a path once per conflict stage; keep one.
    if (!name || seen.has(name)) continue;
    seen.add(name);
    files.push(join(top, name));
  }
  return files;
}

/** fast-glob outside git, honouring every `.gitignore` on the way down (not following symlinked dirs). */
async function globFiles(dir: string): Promise<string[]> {
  // fast-glob is only needed outside git work trees: loaded on demand.
  const fg = (await import("fast-glob")).default;
  const entries = await fg("**/*", {
    cwd: dir,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    suppressErrors: true,
    ignore: ["**/.git/**"],
    absolute: true,
  });
  const gitignores = entries.filter((p) => p.endsWith("/.gitignore"));
  if (gitignores.length === 0) return entries;
  const rules: { base: string; ig: Ignore }[] = [];
  for (const file of gitignores) {
    try {
      rules.push({ base: dirname(file), ig: createIgnore().add(readFileSync(file, "utf8")) });
    } catch {
      // An unreadable .gitignore ignores nothing.
    }
  }
  return entries.filter((abs) =>
    rules.every(({ base, ig }) => {
      if (!abs.startsWith(`${base}/`)) return true;
      return !ig.ignores(abs.slice(base.length + 1));
    }),
  );
}

/** Whether a path the user named is a directory; a missing or unreadable one is a one-line error. */
export function isScanDirectory(abs: string, asGiven: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SourceError(`cannot scan ${asGiven}: ${code === "ENOENT" ? "no such file or directory" : (code ?? "unreadable")}`);
  }
}

/**
 * Expands the user's paths into files. A directory inside a git work tree yields what git tracks plus
 * untracked files that are not ignored; elsewhere, fast-glob with .gitignore semantics. Files named
 * explicitly are always scanned.
 */
export async function enumerateFiles(paths: readonly string[], cwd: string): Promise<FileEntry[]> {
  const out = new Map<string, FileEntry>();
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const files = isScanDirectory(abs, p) ? (gitTopLevel(abs) ? gitFiles(abs) : await globFiles(abs)) : [abs];
    for (const f of files) out.set(f, { abs: f, rel: displayPath(f, cwd) });
  }
  return [...out.values()];
}
