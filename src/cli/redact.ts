import { createHash } from "node:crypto";
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  fsyncSync,
  lstatSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { effectiveRules } from "../config/config.js";
import { Detector } from "../engine/detector.js";
import type { Finding } from "../engine/types.js";
import { UsageError } from "../errors.js";
import { buildFilters } from "../scan.js";
import { displayPath } from "../sources/enumerate.js";
import { type CursorRow, openDatabase, type RowLocated } from "../sources/transcripts/cursor-db.js";
import { detectFormat, type FormatInfo } from "../sources/transcripts/formats.js";
import { scanTranscriptFile, TranscriptReadError } from "../sources/transcripts/index.js";
import { redactRecords } from "../sources/transcripts/redact.js";
import { isZstd, zstdRawFrame } from "../sources/transcripts/zstd.js";
import { type CliIO, EXIT_CLEAN, EXIT_ERROR } from "./io.js";
import { loadCommandConfig } from "./output.js";
import { TRANSCRIPT_MAX_FILE_SIZE } from "./transcripts.js";

interface RedactOptions {
  backup: boolean;
  dryRun?: boolean;
  config?: string;
  maxFileSize?: string;
  quiet?: boolean;
}

/** Suffix of the copy written before a file is rewritten. */
export const BACKUP_SUFFIX = ".leakgate-bak";

class FileRefused extends Error {}

interface Snapshot {
  size: number;
  mtimeMs: number;
  sha256: string;
}

function snapshot(abs: string): Snapshot {
  const st = statSync(abs);
  return { size: st.size, mtimeMs: st.mtimeMs, sha256: createHash("sha256").update(readFileSync(abs)).digest("hex") };
}

function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.sha256 === b.sha256;
}

/** A free backup name: `<file>.leakgate-bak`, else `<file>.leakgate-bak.1`, `.2`... */
function backupPath(abs: string): string {
  let candidate = `${abs}${BACKUP_SUFFIX}`;
  for (let n = 1; exists(candidate); n++) candidate = `${abs}${BACKUP_SUFFIX}.${n}`;
  return candidate;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes `bytes` next to `abs` and renames it over `abs` (same mode), after checking `abs` did not change. */
function replaceFile(abs: string, bytes: Buffer, before: Snapshot): void {
  const mode = statSync(abs).mode & 0o7777;
  const tmp = join(dirname(abs), `.${basename(abs)}.leakgate-tmp-${process.pid}`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    // Last check, as late as possible: someone (the agent itself) may be appending to the session.
    if (!sameSnapshot(before, snapshot(abs))) throw new FileRefused("changed while it was being redacted; left as it was");
    renameSync(tmp, abs);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already gone.
    }
    throw error;
  }
}

/** Test hook: pause before writing so a test can change the file (never set in normal use). */
async function pauseForTests(io: CliIO, rel: string): Promise<void> {
  const ms = Number(io.env.LEAKGATE_TEST_REDACT_PAUSE_MS ?? 0);
  if (!(ms > 0)) return;
  io.stderr(`leakgate: test pause before writing ${rel}\n`);
  await new Promise((r) => setTimeout(r, ms));
}

export function registerRedact(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command("redact")
    .description(
      "rewrite agent transcripts in place with each secret replaced by [REDACTED:<rule>:<sha256 prefix>]; every JSON record (and a Cursor database) stays valid; a backup is written first",
    )
    .argument("<files...>", "transcript files (Claude Code, Codex incl. .jsonl.zst, Gemini CLI, Cline/Roo, Aider, Cursor state.vscdb)")
    .option("--no-backup", `do not keep a copy of the original as <file>${BACKUP_SUFFIX} (the copy holds the secrets)`)
    .option("--dry-run", "report what would be redacted without writing anything")
    .option("-c, --config <file>", "configuration file (default: .leakgate.yaml in the current directory)")
    .option("--max-file-size <size>", "refuse files larger than this (default 512MB)")
    .option("-q, --quiet", "print only errors")
    .action(async (files: string[], options: RedactOptions) => {
      const config = loadCommandConfig(options, io.cwd, io);
      if (!options.maxFileSize) config.maxFileSize = Math.max(config.maxFileSize, TRANSCRIPT_MAX_FILE_SIZE);
      const detector = new Detector(effectiveRules(config), { validate: false });
      const filters = buildFilters(config);
      const keep = (f: Finding) => filters.every((filter) => filter(f));
      let failed = 0;
      for (const file of files) {
        const abs = resolve(io.cwd, file);
        const rel = displayPath(abs, io.cwd);
        try {
          const message = await redactOne(abs, rel, detector, keep, options, config.maxFileSize, io);
          if (!options.quiet) io.stdout(`${rel}: ${message}\n`);
        } catch (error) {
          if (!(error instanceof FileRefused || error instanceof TranscriptReadError || error instanceof UsageError)) throw error;
          failed++;
          io.stderr(`leakgate: error: ${rel}: ${error.message}\n`);
        }
      }
      setExit(failed ? EXIT_ERROR : EXIT_CLEAN);
    });
}

async function redactOne(
  abs: string,
  rel: string,
  detector: Detector,
  keep: (f: Finding) => boolean,
  options: RedactOptions,
  maxBytes: number,
  io: CliIO,
): Promise<string> {
  let st: ReturnType<typeof lstatSync>;
  try {
    st = lstatSync(abs);
  } catch {
    throw new FileRefused("no such file");
  }
  if (st.isSymbolicLink()) throw new FileRefused("is a symbolic link; give the file it points to");
  if (!st.isFile()) throw new FileRefused("not a regular file");
  const head = Buffer.alloc(Math.min(4096, st.size));
  const fd = openSync(abs, "r");
  try {
    if (head.length) readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const info: FormatInfo | undefined = detectFormat(abs, head);
  if (!info) throw new FileRefused("not a recognised agent transcript; nothing changed");
  if (info.container === "sqlite") {
    for (const side of ["-wal", "-journal"]) {
      let size = 0;
      try {
        size = statSync(`${abs}${side}`).size;
      } catch {
        size = 0;
      }
      if (size > 0) throw new FileRefused(`the database is in use (${basename(abs)}${side} is not empty); close Cursor and retry`);
    }
  }
  const before = snapshot(abs);
  const result = await scanTranscriptFile(detector, abs, { path: rel }, info, maxBytes);

  let output: Buffer;
  let count: number;
  let unsafe: number;
  if (result.kind === "sqlite") {
    const located = result.located.filter((l) => keep(l.finding));
    if (located.length === 0) return "no secrets found";
    ({ output, count, unsafe } = await redactDatabase(result.raw, result.rows, located));
  } else {
    const located = result.located.filter((l) => keep(l.finding));
    if (located.length === 0) return "no secrets found";
    const redacted = redactRecords(result.text, result.docs, info.container === "json", located);
    count = redacted.replaced;
    unsafe = redacted.unsafe;
    output = info.compressed && isZstd(result.raw) ? zstdRawFrame(redacted.bytes) : redacted.bytes;
  }
  const distinct = new Set<string>();
  for (const l of result.located) if (keep(l.finding)) distinct.add(l.finding.secretSha256);
  const what = `${count} replacement(s) of ${distinct.size} secret(s)${unsafe ? `, ${unsafe} left in place (replacing would break the JSON)` : ""}`;
  if (options.dryRun) return `would redact ${what}`;

  let backup: string | undefined;
  if (options.backup) {
    backup = backupPath(abs);
    copyFileSync(abs, backup, constants.COPYFILE_EXCL);
    // The backup holds the secrets: readable by the owner only.
    try {
      chmodSync(backup, 0o600);
    } catch {
      // Best effort (e.g. on Windows).
    }
  }
  try {
    await pauseForTests(io, rel);
    replaceFile(abs, output, before);
  } catch (error) {
    if (backup) {
      try {
        unlinkSync(backup);
      } catch {
        // Leave it.
      }
    }
    throw error;
  }
  return `redacted ${what}${backup ? `; backup ${displayPath(backup, io.cwd)}` : ""}`;
}

async function redactDatabase(
  raw: Buffer,
  rows: CursorRow[],
  located: RowLocated[],
): Promise<{ output: Buffer; count: number; unsafe: number }> {
  const byRow = new Map<CursorRow, RowLocated[]>();
  for (const l of located) {
    const list = byRow.get(l.row);
    if (list) list.push(l);
    else byRow.set(l.row, [l]);
  }
  const db = await openDatabase(raw);
  let count = 0;
  let unsafe = 0;
  try {
    for (const [row, list] of byRow) {
      const json = isJson(row.value);
      const redacted = redactRecords(row.value, [{ start: 0, end: row.value.length, malformed: !json }], json, list);
      count += redacted.replaced;
      unsafe += redacted.unsafe;
      const value = row.type === "blob" ? new Uint8Array(redacted.bytes) : redacted.bytes.toString("utf8");
      db.run(`UPDATE "${row.table}" SET value = ? WHERE key = ?`, [value, row.key]);
    }
    if (rows.length === 0) return { output: raw, count, unsafe };
    return { output: Buffer.from(db.export()), count, unsafe };
  } finally {
    db.close();
  }
}

function isJson(buf: Buffer): boolean {
  try {
    JSON.parse(buf.toString("utf8"));
    return true;
  } catch {
    return false;
  }
}
