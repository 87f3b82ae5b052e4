import { statSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { effectiveRules, type LeakgateConfig } from "./config/config.js";
import { diskKeywordTableCache } from "./config/keyword-cache.js";
import { Detector, type DetectorOptions } from "./engine/detector.js";
import { fingerprintOf } from "./engine/fingerprint.js";
import type { Finding, RuleDefinition } from "./engine/types.js";
import { SourceError } from "./errors.js";
import { pathMatcher } from "./filters/allowlist.js";
import { readBaseline } from "./filters/baseline.js";
import { readIgnoreFile } from "./filters/ignore-file.js";
import { applyFilters, type FindingFilter } from "./filters/types.js";
import { defaultWorkerCount } from "./pool.js";
import { buildFilters, DEFAULT_BASELINE_NAME, IGNORE_FILE_NAME, type ScanOutcome } from "./scan.js";
import type { BlobBatchMessage, BlobBatchResult } from "./scan-git-worker.js";
import { type FileChange, runFragments } from "./sources/git/diff-parser.js";
import { resolveCommit } from "./sources/git/git.js";
import { stagedChanges } from "./sources/git/staged.js";

/**
 * Orchestration of the git modes (`staged`, `diff`, `prepush`, `history`): git sources → engine →
 * the same filters as `scan` (inline allow comments, config allowlists, `.leakgateignore`, baseline).
 * Paths are relative to the repository root, which also holds the config, ignore file and baseline.
 */

export interface GitScanRequest {
  /** Top-level directory of the work tree. */
  root: string;
  config: LeakgateConfig;
  /** Explicit baseline; else `<root>/.leakgate-baseline.json` when present. */
  baselinePath?: string;
  detectorOptions?: DetectorOptions;
}

/** Filters and the path skip-list shared by the git modes. */
export interface FilterSetup {
  filters: FindingFilter[];
  skipPath: (path: string) => boolean;
  baselineUsed?: string;
}

export function gitFilterSetup(request: GitScanRequest): FilterSetup {
  const ignoreFile = readIgnoreFile(join(request.root, IGNORE_FILE_NAME));
  let baselinePath = request.baselinePath;
  if (!baselinePath) {
    const candidate = join(request.root, DEFAULT_BASELINE_NAME);
    try {
      if (statSync(candidate).size > 0) baselinePath = candidate;
    } catch {
      // No default baseline.
    }
  }
  const baseline = baselinePath ? readBaseline(baselinePath) : undefined;
  return {
    filters: buildFilters(request.config, {
      ignoreFingerprints: ignoreFile?.fingerprints,
      ignorePaths: ignoreFile?.paths,
      baseline,
    }),
    skipPath: pathMatcher([...request.config.allowPaths, ...(ignoreFile?.paths ?? [])]),
    baselineUsed: baseline ? baselinePath : undefined,
  };
}

/** Scans changed files' added lines, one fragment per run of consecutive added lines. */
class ChangeScanner {
  readonly findings: Finding[] = [];
  readonly warnings: string[] = [];
  files = 0;
  bytes = 0;
  skipped = 0;
  private detector: Detector | undefined;

  constructor(
    private readonly rules: ReturnType<typeof effectiveRules>,
    private readonly detectorOptions: DetectorOptions,
    private readonly skipPath: (path: string) => boolean,
    private readonly maxFileSize: number,
  ) {}

  /** Compiles the rule set now rather than on the first file. */
  prepare(): Detector {
    this.detector ??= new Detector(this.rules, { validate: false, keywordTableCache: diskKeywordTableCache(), ...this.detectorOptions });
    return this.detector;
  }

  add(file: FileChange): void {
    const where = file.commit ? `${file.path} (${file.commit.sha.slice(0, 12)})` : file.path;
    if (file.submodule || file.status === "deleted") return;
    if (file.binary) {
      this.skipped++;
      this.warnings.push(`${where}: skipped, binary`);
      return;
    }
    if (file.oversized) {
      this.skipped++;
      this.warnings.push(`${where}: skipped, more than ${(this.maxFileSize / 1024 / 1024).toFixed(1)} MiB of added lines`);
      return;
    }
    if (file.runs.length === 0 || this.skipPath(file.path)) return;
    this.files++;
    this.bytes += file.addedBytes;
    const detector = this.prepare();
    for (const fragment of runFragments(file)) {
      for (const f of detector.detect(fragment)) this.findings.push(f);
    }
  }
}

function outcome(scanner: ChangeScanner, setup: FilterSetup, rules: ReturnType<typeof effectiveRules>, started: number): ScanOutcome {
  return {
    findings: applyFilters(scanner.findings, setup.filters),
    stats: { files: scanner.files, bytes: scanner.bytes, skipped: scanner.skipped, durationMs: performance.now() - started },
    warnings: scanner.warnings,
    rules,
    baselineUsed: setup.baselineUsed,
  };
}

/** `leakgate staged`: the added lines of the index against HEAD. */
export async function runStagedScan(request: GitScanRequest & { pendingDiff?: Promise<Buffer> }): Promise<ScanOutcome> {
  const started = performance.now();
  const rules = effectiveRules(request.config);
  const setup = gitFilterSetup(request);
  const scanner = new ChangeScanner(rules, request.detectorOptions ?? {}, setup.skipPath, request.config.maxFileSize);
  // While git computes the diff (started by the caller), compile the rule set: a commit always has
  // staged lines, and the two overlap on separate cores.
  if (request.pendingDiff) scanner.prepare();
  for (const file of await stagedChanges(request.root, request.config.maxFileSize, request.pendingDiff)) scanner.add(file);
  return outcome(scanner, setup, rules, started);
}

/**
 * One finding per secret and path: the first commit (oldest, parents before children) that added it.
 * A line edited again in a later commit shows up as added there too; that is the same leak.
 */
function firstIntroductions(findings: Finding[]): Finding[] {
  const first = new Map<string, string | undefined>();
  return findings.filter((f) => {
    if (!first.has(f.fingerprint)) {
      first.set(f.fingerprint, f.commit);
      return true;
    }
    return first.get(f.fingerprint) === f.commit;
  });
}

/** Scans the commits selected by `revArgs` (`git log` syntax), oldest first. */
async function scanCommits(request: GitScanRequest, revArgs: string[], started: number): Promise<ScanOutcome> {
  const { streamCommitChanges } = await import("./sources/git/diff.js");
  const rules = effectiveRules(request.config);
  const setup = gitFilterSetup(request);
  const scanner = new ChangeScanner(rules, request.detectorOptions ?? {}, setup.skipPath, request.config.maxFileSize);
  await streamCommitChanges(request.root, revArgs, request.config.maxFileSize, (file) => scanner.add(file));
  const result = outcome(scanner, setup, rules, started);
  result.findings = firstIntroductions(result.findings);
  return result;
}

/** `leakgate diff <base>..<head>`: every commit of the range (`--squash`: the net diff). */
export async function runDiffScan(request: GitScanRequest & { range: string; squash?: boolean }): Promise<ScanOutcome> {
  const started = performance.now();
  const { checkShallowBoundary, rangeRevArgs, resolveRange, squashedChanges } = await import("./sources/git/diff.js");
  const range = resolveRange(request.root, request.range);
  if (request.squash) {
    const rules = effectiveRules(request.config);
    const setup = gitFilterSetup(request);
    const scanner = new ChangeScanner(rules, request.detectorOptions ?? {}, setup.skipPath, request.config.maxFileSize);
    for (const file of squashedChanges(request.root, range, request.config.maxFileSize)) scanner.add(file);
    return outcome(scanner, setup, rules, started);
  }
  const revArgs = rangeRevArgs(request.root, range);
  checkShallowBoundary(request.root, revArgs);
  return scanCommits(request, revArgs, started);
}

/**
 * `leakgate prepush`: the commits a `git push` is about to send, from the pre-push hook's stdin
 * (or the pre-commit framework's environment). Nothing to push: a clean, empty outcome.
 */
export async function runPrepushScan(request: GitScanRequest & { input: string; env: NodeJS.ProcessEnv }): Promise<ScanOutcome> {
  const started = performance.now();
  const { parsePushLines, preCommitFrameworkRevArgs, pushRevArgs } = await import("./sources/git/prepush.js");
  const { checkShallowBoundary } = await import("./sources/git/diff.js");
  const updates = parsePushLines(request.input);
  let revArgs = updates.length ? pushRevArgs(request.root, updates) : preCommitFrameworkRevArgs(request.env);
  if (revArgs && !updates.length) {
    for (const arg of revArgs) {
      const rev = arg.startsWith("^") ? arg.slice(1) : arg;
      if (rev.startsWith("--")) continue;
      if (!resolveCommit(request.root, rev)) throw new SourceError(`revision ${rev} is not in this repository`);
    }
  }
  if (!revArgs) revArgs = [];
  if (revArgs.length === 0) {
    return {
      findings: [],
      stats: { files: 0, bytes: 0, skipped: 0, durationMs: performance.now() - started },
      warnings: [],
      rules: effectiveRules(request.config),
    };
  }
  checkShallowBoundary(request.root, revArgs);
  return scanCommits(request, revArgs, started);
}

/** Progress of a history scan (for the TTY progress line). */
export interface HistoryProgress {
  blobs: number;
  totalBlobs: number;
  bytes: number;
  totalBytes: number;
  findings: number;
  elapsedMs: number;
}

export interface HistoryRequest extends GitScanRequest {
  /** `rev-list` / `log` revisions: `--all`, or `^base head`. */
  revArgs: string[];
  workers?: number;
  /** Called about ten times a second while blobs are read, and once at the end. */
  onProgress?: (progress: HistoryProgress) => void;
}

/** Below this much blob content, worker start-up costs more than it saves. */
const HISTORY_IN_PROCESS_MAX_BYTES = 8 * 1024 * 1024;
/** Blobs go to workers in transferable batches of about this size. */
const HISTORY_BATCH_BYTES = 4 * 1024 * 1024;
const HISTORY_BATCH_BLOBS = 512;

/** A pool of blob-scanning workers fed with packed batches; batch buffers come back for reuse. */
class BlobPool {
  private readonly workers: Worker[];
  private readonly idle: Worker[] = [];
  private readonly queue: BlobBatchMessage[] = [];
  /** Buffers the workers gave back, reused for the next batches (no allocation in steady state). */
  readonly spare: ArrayBuffer[] = [];
  private busy = 0;
  private failure: Error | undefined;
  private drained: (() => void) | undefined;
  private failed: ((error: Error) => void) | undefined;

  constructor(
    count: number,
    init: { rules: RuleDefinition[]; detectorOptions: DetectorOptions },
    private readonly onResult: (result: BlobBatchResult) => void,
    private readonly onProgress: () => void,
    private readonly onFailure: (error: Error) => void,
  ) {
    const url = new URL("./scan-git-worker.js", import.meta.url);
    this.workers = Array.from({ length: count }, () => {
      const worker = new Worker(url, { workerData: { kind: "leakgate-blobs", ...init } });
      worker.on("message", (result: BlobBatchResult) => {
        this.busy--;
        if (result.buffer) this.spare.push(result.buffer);
        if (result.error) this.fail(new Error(`blob worker failed: ${result.error}`));
        else this.onResult(result);
        this.dispatch(worker);
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => {
        if (code !== 0) this.fail(new Error(`blob worker exited with code ${code}`));
      });
      this.idle.push(worker);
      return worker;
    });
  }

  /** Batches queued or being scanned. */
  get backlog(): number {
    return this.queue.length + this.busy;
  }

  get size(): number {
    return this.workers.length;
  }

  submit(batch: BlobBatchMessage): void {
    this.queue.push(batch);
    const worker = this.idle.pop();
    if (worker) this.dispatch(worker);
  }

  private dispatch(worker: Worker): void {
    const next = this.queue.shift();
    if (!next) {
      this.idle.push(worker);
      if (this.busy === 0) this.drained?.();
    } else {
      this.busy++;
      worker.postMessage(next, [next.buffer]);
    }
    this.onProgress();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.onFailure(this.failure);
    this.failed?.(this.failure);
  }

  /** The first worker failure, if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Resolves when every submitted batch is scanned. */
  drain(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.backlog === 0) return Promise.resolve();
    return new Promise((resolvePromise, reject) => {
      this.drained = resolvePromise;
      this.failed = reject;
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Packs blobs into one ArrayBuffer per batch, so a batch crosses to a worker without a copy. */
class BatchPacker {
  private buffer: Buffer | undefined;
  private used = 0;
  private blobs: BlobBatchMessage["blobs"] = [];
  private nextId = 0;

  constructor(
    private readonly submit: (batch: BlobBatchMessage) => void,
    private readonly spare: ArrayBuffer[],
  ) {}

  add(oid: string, path: string, bytes: Buffer): void {
    if (this.buffer && (this.used + bytes.length > this.buffer.length || this.blobs.length >= HISTORY_BATCH_BLOBS)) this.flush();
    if (!this.buffer) {
      let ab = bytes.length <= HISTORY_BATCH_BYTES ? this.spare.pop() : undefined;
      ab ??= new ArrayBuffer(Math.max(HISTORY_BATCH_BYTES, bytes.length));
      this.buffer = Buffer.from(ab);
      this.used = 0;
    }
    bytes.copy(this.buffer, this.used);
    this.blobs.push({ oid, path, start: this.used, end: this.used + bytes.length });
    this.used += bytes.length;
  }

  flush(): void {
    if (!this.buffer || this.blobs.length === 0) return;
    // The whole buffer travels (no copy); the worker reads only the blobs' ranges.
    this.submit({ id: this.nextId++, buffer: this.buffer.buffer as ArrayBuffer, blobs: this.blobs });
    this.buffer = undefined;
    this.blobs = [];
    this.used = 0;
  }
}

/**
 * `leakgate history`: every unique blob reachable from `revArgs` scanned once, then each blob with a
 * finding attributed to the commit(s) and path(s) that introduced it.
 */
export async function runHistoryScan(request: HistoryRequest): Promise<ScanOutcome> {
  const started = performance.now();
  const { attributeBlobs, BlobStream, listBlobs } = await import("./sources/git/history.js");
  const { scanBlobBytes } = await import("./scan-git-worker.js");
  await (await import("./sources/structured.js")).loadStructuredHandlers();
  const rules = effectiveRules(request.config);
  const setup = gitFilterSetup(request);
  const detectorOptions: DetectorOptions = { validate: false, ...request.detectorOptions };
  const list = await listBlobs(request.root, request.revArgs, request.config.maxFileSize);
  const warnings = list.oversized.map(
    (b) =>
      `${b.path || b.oid} (blob ${b.oid.slice(0, 12)}): skipped, larger than the ${(request.config.maxFileSize / 1024 / 1024).toFixed(1)} MiB cap`,
  );

  const found = new Map<string, Finding[]>();
  const fallbackPath = new Map<string, string>();
  let blobs = 0;
  let bytes = 0;
  let binary = 0;
  let findingCount = 0;
  let lastProgress = 0;
  const progress = (final = false) => {
    if (!request.onProgress) return;
    const now = performance.now();
    if (!final && now - lastProgress < 100) return;
    lastProgress = now;
    request.onProgress({
      blobs,
      totalBlobs: list.count,
      bytes,
      totalBytes: list.bytes,
      findings: findingCount,
      elapsedMs: now - started,
    });
  };
  const record = (oid: string, path: string, findings: Finding[]) => {
    if (findings.length === 0) return;
    found.set(oid, findings);
    fallbackPath.set(oid, path);
    findingCount += findings.length;
  };

  const workers = Math.min(request.workers ?? defaultWorkerCount(), 64);
  if (workers <= 1 || list.bytes <= HISTORY_IN_PROCESS_MAX_BYTES) {
    const detector = new Detector(rules, detectorOptions);
    const stream = new BlobStream(request.root, list.input, (oid, path, content) => {
      blobs++;
      bytes += content.length;
      const scan = scanBlobBytes(detector, oid, path, content);
      if ("skipped" in scan) binary++;
      else record(oid, path, scan.findings);
      progress();
    });
    await stream.done;
  } else {
    let stream: InstanceType<typeof BlobStream> | undefined;
    let paused = false;
    // Back-pressure: read git's output while fewer than two batches per worker wait; pause otherwise.
    const limit = () => pool.backlog >= pool.size * 2;
    const pool = new BlobPool(
      workers,
      { rules, detectorOptions },
      (result) => {
        binary += result.binary;
        for (const { oid, path, findings } of result.found) record(oid, path, findings);
      },
      () => {
        if (paused && !limit()) {
          paused = false;
          stream?.resume();
        }
      },
      // A failed worker would never take the batches that keep the stream paused: stop git.
      () => stream?.kill(),
    );
    const packer = new BatchPacker((batch) => {
      pool.submit(batch);
      if (!paused && limit()) {
        paused = true;
        stream?.pause();
      }
    }, pool.spare);
    try {
      stream = new BlobStream(request.root, list.input, (oid, path, content) => {
        blobs++;
        bytes += content.length;
        packer.add(oid, path, content);
        progress();
      });
      try {
        await stream.done;
      } catch (error) {
        throw pool.error ?? error;
      }
      packer.flush();
      await pool.drain();
    } finally {
      await pool.close();
    }
  }
  progress(true);

  const attributed = found.size ? await attributeBlobs(request.root, request.revArgs, [...found.keys()]) : undefined;
  const all: Finding[] = [];
  for (const [oid, findings] of found) {
    const intros: { path: string; commit?: string; author?: string; date?: string }[] = attributed?.get(oid) ?? [
      { path: fallbackPath.get(oid) ?? "" },
    ];
    for (const intro of intros) {
      for (const f of findings) {
        const copy: Finding = { ...f, path: intro.path, fingerprint: fingerprintOf(f.ruleId, f.secretSha256, intro.path) };
        if (intro.commit) {
          copy.commit = intro.commit;
          copy.author = intro.author;
          copy.date = intro.date;
        }
        all.push(copy);
      }
    }
  }
  if (binary) warnings.push(`${binary} binary blob(s) skipped`);
  // A file edited after a secret landed in it holds the secret in every later version (each a new
  // blob): report it once per path, at the earliest commit.
  const when = (f: Finding) => (f.date ? Date.parse(f.date) : Number.POSITIVE_INFINITY);
  all.sort((a, b) => when(a) - when(b));
  return {
    findings: applyFilters(firstIntroductions(all), setup.filters),
    stats: { files: blobs - binary, bytes, skipped: binary + list.oversized.length, durationMs: performance.now() - started },
    warnings,
    rules,
    baselineUsed: setup.baselineUsed,
  };
}
