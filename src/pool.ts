import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { DetectorOptions } from "./engine/detector.js";
import type { RuleDefinition } from "./engine/types.js";
import type { FileBatchResult } from "./scan-files.js";
import type { FileEntry } from "./sources/enumerate.js";

/** Files are sent in batches of about this many bytes, so workers stay busy without a message per file. */
const BATCH_BYTES = 4 * 1024 * 1024;
const BATCH_FILES = 256;

export interface PoolOptions {
  rules: RuleDefinition[];
  detectorOptions: DetectorOptions;
  maxFileSize: number;
  workers?: number;
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/** Splits entries (with their sizes) into batches. */
export function makeBatches(entries: readonly (FileEntry & { size: number })[]): FileEntry[][] {
  const batches: FileEntry[][] = [];
  let current: FileEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    current.push({ abs: e.abs, rel: e.rel });
    bytes += e.size;
    if (bytes >= BATCH_BYTES || current.length >= BATCH_FILES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length) batches.push(current);
  return batches;
}

/** Scans the batches on a pool of worker threads; each worker reads its own files. */
export async function scanOnPool(batches: FileEntry[][], options: PoolOptions): Promise<FileBatchResult> {
  const total: FileBatchResult = { findings: [], files: 0, bytes: 0, skipped: 0, warnings: [] };
  const count = Math.min(options.workers ?? defaultWorkerCount(), batches.length);
  if (count === 0) return total;
  const url = new URL("./worker.js", import.meta.url);
  const workers = Array.from(
    { length: count },
    () =>
      new Worker(url, {
        workerData: { rules: options.rules, detectorOptions: options.detectorOptions, maxFileSize: options.maxFileSize },
      }),
  );
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolvePromise, reject) => {
            const send = () => {
              if (next >= batches.length) {
                resolvePromise();
                return;
              }
              const id = next++;
              worker.postMessage({ id, entries: batches[id] });
            };
            worker.on("message", (msg: { id: number; result?: FileBatchResult; error?: string }) => {
              if (msg.error || !msg.result) {
                reject(new Error(`worker failed: ${msg.error ?? "no result"}`));
                return;
              }
              const r = msg.result;
              for (const f of r.findings) total.findings.push(f);
              total.files += r.files;
              total.bytes += r.bytes;
              total.skipped += r.skipped;
              for (const w of r.warnings) total.warnings.push(w);
              send();
            });
            worker.on("error", reject);
            worker.on("exit", (code) => {
              if (code !== 0) reject(new Error(`worker exited with code ${code}`));
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return total;
}
