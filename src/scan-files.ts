import { statSync } from "node:fs";
import type { Detector } from "./engine/detector.js";
import type { Finding } from "./engine/types.js";
import type { FileEntry } from "./sources/enumerate.js";
import { readFileForScan } from "./sources/read-file.js";
import { binaryHandlerFor, structuredHandlerFor } from "./sources/structured.js";

export interface FileBatchResult {
  findings: Finding[];
  files: number;
  bytes: number;
  skipped: number;
  /** `path: reason` for each skipped file (shown with --verbose). */
  warnings: string[];
}

/** Reads and scans files one by one (runs inside a worker, or in-process for small scans). */
export async function scanFileBatch(detector: Detector, entries: readonly FileEntry[], maxFileSize: number): Promise<FileBatchResult> {
  const result: FileBatchResult = { findings: [], files: 0, bytes: 0, skipped: 0, warnings: [] };
  for (const entry of entries) {
    const container = binaryHandlerFor(entry.rel);
    if (container?.scanFile) {
      try {
        for (const f of await container.scanFile(detector, entry.abs, { path: entry.rel }, maxFileSize)) result.findings.push(f);
        result.files++;
        result.bytes += statSize(entry.abs);
      } catch (error) {
        result.skipped++;
        result.warnings.push(`${entry.rel}: skipped, ${(error as Error).message.split("\n")[0]}`);
      }
      continue;
    }
    const read = readFileForScan(entry.abs, maxFileSize);
    if (!read.ok) {
      result.skipped++;
      result.warnings.push(`${entry.rel}: skipped, ${read.reason}`);
      continue;
    }
    result.files++;
    result.bytes += read.bytes.length;
    const origin = { path: entry.rel };
    const handler = structuredHandlerFor(entry.rel, read.bytes);
    const findings = handler ? handler.scan(detector, read.bytes, origin) : detector.detect({ bytes: read.bytes, origin });
    for (const f of findings) result.findings.push(f);
  }
  return result;
}

function statSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
