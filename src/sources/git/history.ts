import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { SourceError } from "../../errors.js";
import { GIT_CONFIG_ARGS, gitMessage } from "./git.js";

/**
 * The `history` source: every unique blob reachable from the given revisions, each read once.
 *
 * 1. `git rev-list --objects <revs>` piped into `git cat-file --batch-check` lists the blobs with
 *    their sizes and one path each (rev-list prints each object once).
 * 2. One long-running `git cat-file --batch --buffer` streams their contents, with back-pressure so
 *    memory stays bounded whatever the size of the history.
 * 3. Only blobs with findings are attributed to the commits and paths that introduced them, with
 *    one `git log --find-object=... --find-object=...` pass per few hundred blobs (never `log -p`).
 */

export interface BlobList {
  /** `<oid> <path>\n` lines, ready to feed `cat-file --batch` (kept as text: ~100 bytes per blob). */
  input: Buffer[];
  count: number;
  bytes: number;
  /** Blobs over the size cap (not read). */
  oversized: { oid: string; size: number; path: string }[];
}

function spawnGit(args: readonly string[], cwd: string): ChildProcessWithoutNullStreams {
  return spawn("git", [...GIT_CONFIG_ARGS, ...args], { cwd, stdio: ["pipe", "pipe", "pipe"] });
}

/** Collects stderr (bounded) and turns spawn failures into SourceErrors. */
function watch(child: ChildProcessWithoutNullStreams, what: string): Promise<void> {
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString("utf8");
  });
  return new Promise((resolvePromise, reject) => {
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new SourceError("git is not installed or not on PATH") : error),
    );
    child.on("close", (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new SourceError(`${what}: ${signal ? `killed by ${signal}` : gitMessage(stderr)}`));
    });
  });
}

/** Splits a stream into lines (without `\n`), across chunk boundaries. */
function lineReader(onLine: (line: string) => void): { write: (chunk: Buffer) => void; end: () => void } {
  let rest = "";
  return {
    write(chunk) {
      const text = rest + chunk.toString("utf8");
      let start = 0;
      for (;;) {
        const nl = text.indexOf("\n", start);
        if (nl === -1) break;
        onLine(text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
    },
    end() {
      if (rest) onLine(rest);
      rest = "";
    },
  };
}

/** Every blob reachable from `revArgs` (e.g. `--all`, or `^base head`), once, with its size. */
export async function listBlobs(root: string, revArgs: readonly string[], maxSize: number): Promise<BlobList> {
  const list: BlobList = { input: [], count: 0, bytes: 0, oversized: [] };
  const revList = spawnGit(["rev-list", "--objects", ...revArgs, "--"], root);
  const check = spawnGit(["cat-file", "--batch-check=%(objecttype) %(objectname) %(objectsize) %(rest)", "--buffer"], root);
  revList.stdout.pipe(check.stdin);
  revList.stdin.end();
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = () => {
    if (pending.length) list.input.push(Buffer.from(pending.join(""), "utf8"));
    pending = [];
    pendingChars = 0;
  };
  const reader = lineReader((line) => {
    if (!line.startsWith("blob ")) return;
    const a = line.indexOf(" ", 5);
    const b = line.indexOf(" ", a + 1);
    const oid = line.slice(5, a);
    const size = Number(line.slice(a + 1, b === -1 ? undefined : b));
    const path = b === -1 ? "" : line.slice(b + 1);
    if (size === 0) return;
    if (size > maxSize) {
      list.oversized.push({ oid, size, path });
      return;
    }
    list.count++;
    list.bytes += size;
    const entry = `${oid} ${path}\n`;
    pending.push(entry);
    pendingChars += entry.length;
    if (pendingChars > 1 << 20) flush();
  });
  check.stdout.on("data", (chunk: Buffer) => reader.write(chunk));
  await Promise.all([watch(revList, "git rev-list"), watch(check, "git cat-file --batch-check")]);
  reader.end();
  flush();
  return list;
}

export type BlobHandler = (oid: string, path: string, bytes: Buffer) => void;

/**
 * Streams blob contents from one `git cat-file --batch` process. `onBlob` may keep the buffer it is
 * given (a view of git's output chunk, or a fresh copy for blobs split across chunks). Call
 * `pause()` to stop reading git's output (git then blocks: memory stays bounded) and `resume()`.
 */
export class BlobStream {
  readonly done: Promise<void>;
  private readonly child: ChildProcessWithoutNullStreams;
  private header: Buffer[] = [];
  /** Body being filled across chunks. */
  private body: Buffer | undefined;
  private filled = 0;
  private oid = "";
  private path = "";
  /** Bytes still to skip: the newline after a body. */
  private skipNewline = false;

  constructor(
    root: string,
    input: readonly Buffer[],
    private readonly onBlob: BlobHandler,
  ) {
    this.child = spawnGit(["cat-file", "--batch=%(objectname) %(objectsize) %(rest)", "--buffer"], root);
    const finished = watch(this.child, "git cat-file --batch");
    const readDone = new Promise<void>((resolvePromise, reject) => {
      this.child.stdout.on("data", (chunk: Buffer) => {
        try {
          this.parse(chunk);
        } catch (error) {
          reject(error);
          this.kill();
        }
      });
      this.child.stdout.on("end", () => resolvePromise());
    });
    this.done = Promise.all([finished, readDone]).then(() => undefined);
    // Writes queue in the stream when git's stdin is full; the list is in memory already.
    this.child.stdin.on("error", () => {
      // git exited early (reported by `watch`).
    });
    for (const part of input) this.child.stdin.write(part);
    this.child.stdin.end();
  }

  pause(): void {
    this.child.stdout.pause();
  }

  resume(): void {
    this.child.stdout.resume();
  }

  /** Stops git (also while paused: the unread output is dropped). */
  kill(): void {
    this.child.kill();
    this.child.stdout.destroy();
  }

  private parse(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.skipNewline) {
        this.skipNewline = false;
        if (chunk[at] === 10) at++;
        continue;
      }
      if (this.body) {
        const n = Math.min(this.body.length - this.filled, chunk.length - at);
        chunk.copy(this.body, this.filled, at, at + n);
        this.filled += n;
        at += n;
        if (this.filled === this.body.length) {
          const body = this.body;
          this.body = undefined;
          this.skipNewline = true;
          this.onBlob(this.oid, this.path, body);
        }
        continue;
      }
      const nl = chunk.indexOf(10, at);
      if (nl === -1) {
        this.header.push(chunk.subarray(at));
        return;
      }
      let line = chunk.subarray(at, nl);
      if (this.header.length) {
        this.header.push(line);
        line = Buffer.concat(this.header);
        this.header = [];
      }
      at = nl + 1;
      const text = line.toString("utf8");
      const a = text.indexOf(" ");
      const b = text.indexOf(" ", a + 1);
      const sizeText = text.slice(a + 1, b === -1 ? undefined : b);
      if (a === -1 || sizeText === "missing") continue;
      const size = Number(sizeText);
      if (!Number.isSafeInteger(size) || size < 0) throw new SourceError(`git cat-file --batch: unexpected header "${text.slice(0, 80)}"`);
      this.oid = text.slice(0, a);
      this.path = b === -1 ? "" : text.slice(b + 1);
      if (chunk.length - at >= size) {
        // The whole body is in this chunk: no copy.
        const body = chunk.subarray(at, at + size);
        at += size;
        this.skipNewline = true;
        this.onBlob(this.oid, this.path, body);
      } else {
        this.body = Buffer.allocUnsafe(size);
        this.filled = 0;
      }
    }
  }
}

/** A commit and path where a blob first appeared. */
export interface Introduction {
  path: string;
  commit: string;
  author: string;
  date: string;
}

/** `--find-object` options per `git log` run (keeps the command line short on every platform). */
const FIND_OBJECTS_PER_RUN = 400;

/**
 * For each blob, the commits (oldest first, parents before children) and paths where it was added or
 * changed into: one entry per path, at the first commit that introduced it there. Exact renames are
 * not introductions (the blob was already there under its old name).
 */
export async function attributeBlobs(
  root: string,
  revArgs: readonly string[],
  oids: readonly string[],
): Promise<Map<string, Introduction[]>> {
  const result = new Map<string, Introduction[]>();
  for (let i = 0; i < oids.length; i += FIND_OBJECTS_PER_RUN) {
    const chunk = oids.slice(i, i + FIND_OBJECTS_PER_RUN);
    const wanted = new Set(chunk);
    const child = spawnGit(
      [
        "log",
        "--topo-order",
        "--reverse",
        "--root",
        "--no-notes",
        "--format=%x01%H%x00%an%x00%ae%x00%aI",
        "--raw",
        "-z",
        "--no-abbrev",
        "-M100%",
        "--diff-merges=first-parent",
        ...chunk.map((oid) => `--find-object=${oid}`),
        ...revArgs,
        "--",
      ],
      root,
    );
    child.stdin.end();
    const parts: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => parts.push(d));
    await watch(child, "git log --find-object");
    parseFindObjectLog(Buffer.concat(parts).toString("utf8"), wanted, result);
  }
  return result;
}

/** Parses `git log --raw -z` with the format above into introductions of the wanted blobs. */
export function parseFindObjectLog(text: string, wanted: ReadonlySet<string>, into: Map<string, Introduction[]>): void {
  const tokens = text.split("\0");
  let commit: { commit: string; author: string; date: string } | undefined;
  for (let i = 0; i < tokens.length; ) {
    const token = (tokens[i] as string).replace(/^\n+/, "");
    if (token.startsWith("\x01")) {
      const name = tokens[i + 1] ?? "";
      const email = tokens[i + 2] ?? "";
      commit = { commit: token.slice(1), author: email ? `${name} <${email}>` : name, date: tokens[i + 3] ?? "" };
      i += 4;
      continue;
    }
    if (!token.startsWith(":")) {
      i++;
      continue;
    }
    // :srcmode dstmode srcoid dstoid status, then one path (two for renames and copies).
    const fields = token.slice(1).split(" ");
    const src = fields[2] ?? "";
    const dst = fields[3] ?? "";
    const status = fields[4] ?? "";
    const twoPaths = status.startsWith("R") || status.startsWith("C");
    const path = (twoPaths ? tokens[i + 2] : tokens[i + 1]) ?? "";
    i += twoPaths ? 3 : 2;
    if (!commit || src === dst || !wanted.has(dst)) continue;
    let list = into.get(dst);
    if (!list) {
      list = [];
      into.set(dst, list);
    }
    if (!list.some((intro) => intro.path === path)) list.push({ path, ...commit });
  }
}
