import type { Fragment, Origin } from "../../engine/types.js";
import { unquoteGitPath } from "./git.js";

/**
 * A streaming parser for the patches of `git diff -U0` and `git log -p -U0` (run with the options in
 * `PATCH_FORMAT_ARGS`), keeping only what a secret scan needs: for each changed file, its new path and
 * blob, and the runs of consecutive added lines with their line numbers in the new file.
 *
 * Robustness: content lines are consumed by the counts in each `@@` header, so a `+diff --git` line
 * inside a file cannot be taken for a header; the new path comes from the `+++ ` line (C-unquoted,
 * with the tab git appends to names holding a space removed) or, when a file has no hunks (binary,
 * pure rename, mode change), from the `rename to` line or the `diff --git` header. Binary files and
 * gitlinks (submodules) are flagged and yield no lines.
 */

export interface CommitInfo {
  sha: string;
  /** `Name <email>` of the author. */
  author: string;
  /** Author date, ISO 8601. */
  date: string;
}

/** Consecutive added lines of one file; `lines` hold no newline. */
export interface AddedRun {
  /** 1-based line of the first line in the new file. */
  startLine: number;
  lines: Buffer[];
}

export type ChangeStatus = "added" | "modified" | "deleted" | "renamed" | "copied";

export interface FileChange {
  /** New path, relative to the repository root, forward slashes. */
  path: string;
  /** Object id of the new blob (full with `--full-index`), when known. */
  blob?: string;
  /** New file mode (`100644`, `100755`, `120000` symlink, `160000` gitlink). */
  mode?: string;
  status: ChangeStatus;
  binary: boolean;
  /** A gitlink: the "lines" are `Subproject commit <sha>` and are not content. */
  submodule: boolean;
  runs: AddedRun[];
  /** Bytes of added text (lines plus newlines). */
  addedBytes: number;
  /** The added text went over the size cap: `runs` was dropped. */
  oversized: boolean;
  commit?: CommitInfo;
}

/** Marks a commit header line in `git log` output (see `COMMIT_FORMAT`). */
export const COMMIT_MARK = 0x01;
/** `--format` for `git log -p` that this parser understands: `\x01sha\0name\0email\0date`. */
export const COMMIT_FORMAT = "--format=%x01%H%x00%an%x00%ae%x00%aI";

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const INDEX_LINE = /^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: ([0-7]+))?$/;

function startsWith(line: Buffer, prefix: string): boolean {
  if (line.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (line[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** `+++ b/path` (or `rename to path`, prefix "") → path; undefined for /dev/null. */
function pathAfter(line: Buffer, skip: number, prefix: string): string | undefined {
  let raw = line.subarray(skip);
  // git appends a TAB to ---/+++ names holding a space (GNU diff compatibility); a real TAB in a
  // name is always C-quoted, so a trailing raw TAB is never part of the name.
  if (raw.length && raw[raw.length - 1] === 0x09) raw = raw.subarray(0, raw.length - 1);
  if (raw.length && raw[raw.length - 1] === 0x0d && raw[0] !== 0x22) {
    // A CR would have been quoted too; tolerate CRLF output anyway.
    raw = raw.subarray(0, raw.length - 1);
  }
  const name = unquoteGitPath(raw).toString("utf8");
  if (name === "/dev/null") return undefined;
  return prefix && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** The new path from `diff --git a/P b/P` when both names are the same (the usual case). */
function headerPath(rest: Buffer): string | undefined {
  if (rest[0] === 0x22) {
    // Quoted: "a/..." "b/..." (each quoted when needed).
    let i = 1;
    while (i < rest.length && !(rest[i] === 0x22 && rest[i - 1] !== 0x5c)) i++;
    const second = rest.subarray(i + 2);
    return pathAfter(second, 0, "b/");
  }
  const text = rest.toString("utf8");
  if (text.endsWith('"')) {
    const q = text.indexOf(' "');
    return q === -1 ? undefined : pathAfter(Buffer.from(text.slice(q + 1)), 0, "b/");
  }
  if ((text.length - 5) % 2 !== 0) return undefined;
  const n = (text.length - 5) / 2;
  const a = text.slice(2, 2 + n);
  const b = text.slice(5 + n);
  if (text.startsWith("a/") && text.slice(2 + n, 5 + n) === " b/" && a === b) return b;
  return undefined;
}

interface FileState extends FileChange {
  /** Path from the `diff --git` header, used when no `+++` / `rename to` line names the file. */
  headerPath?: string;
  sawPath: boolean;
}

export class PatchParser {
  private pending: Buffer[] = [];
  private commit: CommitInfo | undefined;
  private file: FileState | undefined;
  private oldLeft = 0;
  private newLeft = 0;
  private nextNew = 0;

  /**
   * @param onFile receives each file once its patch is complete
   * @param maxAddedBytes added text per file above which its runs are dropped (`oversized`)
   * @param onCommit receives each commit header of `git log` output
   */
  constructor(
    private readonly onFile: (file: FileChange) => void,
    private readonly maxAddedBytes = Number.POSITIVE_INFINITY,
    private readonly onCommit?: (commit: CommitInfo) => void,
  ) {}

  /** Feeds a chunk of git's output (any split). */
  write(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      let line = chunk.subarray(start, nl);
      if (this.pending.length) {
        this.pending.push(line);
        line = Buffer.concat(this.pending);
        this.pending = [];
      }
      this.line(line);
      start = nl + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  /** Ends the input: the last file is emitted. */
  end(): void {
    if (this.pending.length) {
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.line(line);
    }
    this.finishFile();
  }

  /** One line of output, without its newline. */
  line(line: Buffer): void {
    if (this.oldLeft > 0 || this.newLeft > 0) {
      const c = line[0];
      if (c === 0x2b /* + */ && this.newLeft > 0) {
        this.added(line.subarray(1));
        this.nextNew++;
        this.newLeft--;
        return;
      }
      if (c === 0x2d /* - */ && this.oldLeft > 0) {
        this.oldLeft--;
        return;
      }
      if (c === 0x20 /* context (only with interHunkContext) */ && this.oldLeft > 0 && this.newLeft > 0) {
        this.oldLeft--;
        this.newLeft--;
        this.nextNew++;
        return;
      }
      if (c === 0x5c /* \ No newline at end of file */) return;
      // Malformed counts: resynchronise on headers.
      this.oldLeft = 0;
      this.newLeft = 0;
    }
    this.header(line);
  }

  private header(line: Buffer): void {
    const c = line[0];
    if (c === COMMIT_MARK) {
      this.finishFile();
      const [sha = "", name = "", email = "", date = ""] = line.subarray(1).toString("utf8").split("\0");
      this.commit = { sha, author: email ? `${name} <${email}>` : name, date };
      this.onCommit?.(this.commit);
      return;
    }
    if (startsWith(line, "diff --git ")) {
      this.finishFile();
      this.file = {
        path: "",
        status: "modified",
        binary: false,
        submodule: false,
        runs: [],
        addedBytes: 0,
        oversized: false,
        commit: this.commit,
        headerPath: headerPath(line.subarray(11)),
        sawPath: false,
      };
      return;
    }
    const file = this.file;
    if (!file) return;
    if (c === 0x40 /* @ */ && startsWith(line, "@@ ")) {
      const m = HUNK_HEADER.exec(line.toString("latin1"));
      if (!m) return;
      this.oldLeft = m[2] === undefined ? 1 : Number(m[2]);
      this.newLeft = m[4] === undefined ? 1 : Number(m[4]);
      // For an empty new side git prints the line before the (absent) hunk.
      this.nextNew = Number(m[3]) + (this.newLeft === 0 ? 1 : 0);
      return;
    }
    if (startsWith(line, "+++ ")) {
      const p = pathAfter(line, 4, "b/");
      if (p === undefined) file.status = "deleted";
      else {
        file.path = p;
        file.sawPath = true;
      }
      return;
    }
    if (startsWith(line, "--- ")) {
      if (pathAfter(line, 4, "a/") === undefined) file.status = "added";
      return;
    }
    if (startsWith(line, "index ")) {
      const m = INDEX_LINE.exec(line.toString("latin1"));
      if (m) {
        if (!/^0+$/.test(m[2] as string)) file.blob = m[2];
        if (m[3]) file.mode = m[3];
      }
      return;
    }
    if (startsWith(line, "new file mode ")) {
      file.status = "added";
      file.mode = line.subarray(14).toString("latin1").trim();
      return;
    }
    if (startsWith(line, "deleted file mode ")) {
      file.status = "deleted";
      return;
    }
    if (startsWith(line, "new mode ")) {
      file.mode = line.subarray(9).toString("latin1").trim();
      return;
    }
    if (startsWith(line, "rename to ") || startsWith(line, "copy to ")) {
      file.status = line[0] === 0x72 ? "renamed" : "copied";
      if (!file.sawPath) file.headerPath = pathAfter(line, line[0] === 0x72 ? 10 : 8, "") ?? file.headerPath;
      return;
    }
    if (startsWith(line, "Binary files ") || startsWith(line, "GIT binary patch")) {
      file.binary = true;
    }
  }

  private added(text: Buffer): void {
    const file = this.file;
    if (!file || file.oversized) return;
    file.addedBytes += text.length + 1;
    if (file.addedBytes > this.maxAddedBytes) {
      file.oversized = true;
      file.runs = [];
      return;
    }
    const last = file.runs[file.runs.length - 1];
    if (last && last.startLine + last.lines.length === this.nextNew) last.lines.push(text);
    else file.runs.push({ startLine: this.nextNew, lines: [text] });
  }

  private finishFile(): void {
    const file = this.file;
    this.file = undefined;
    this.oldLeft = 0;
    this.newLeft = 0;
    if (!file) return;
    if (!file.sawPath) file.path = file.headerPath ?? file.path;
    if (file.mode === "160000") {
      file.submodule = true;
      file.runs = [];
    }
    const { headerPath: _h, sawPath: _s, ...change } = file;
    this.onFile(change);
  }
}

/** Parses a whole patch (tests, small diffs). */
export function parsePatch(text: Buffer | string, maxAddedBytes?: number): FileChange[] {
  const files: FileChange[] = [];
  const parser = new PatchParser((f) => files.push(f), maxAddedBytes);
  parser.write(typeof text === "string" ? Buffer.from(text, "utf8") : text);
  parser.end();
  return files;
}

/** One fragment per run of consecutive added lines, positioned with `lineBase`. */
export function runFragments(file: FileChange): Fragment[] {
  const out: Fragment[] = [];
  for (const run of file.runs) {
    let size = 0;
    for (const l of run.lines) size += l.length + 1;
    const bytes = Buffer.allocUnsafe(size);
    let at = 0;
    for (const l of run.lines) {
      at += l.copy(bytes, at);
      bytes[at++] = 10;
    }
    const origin: Origin = { path: file.path, lineBase: run.startLine };
    if (file.blob) origin.blob = file.blob;
    if (file.commit) {
      origin.commit = file.commit.sha;
      origin.author = file.commit.author;
      origin.date = file.commit.date;
    }
    out.push({ bytes, origin });
  }
  return out;
}
