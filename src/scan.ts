import { statSync } from "node:fs";
import { join } from "node:path";
import { effectiveRules, type LeakgateConfig } from "./config/config.js";
import { diskKeywordTableCache } from "./config/keyword-cache.js";
import { Detector, type DetectorOptions } from "./engine/detector.js";
import type { Finding, Fragment, RuleDefinition } from "./engine/types.js";
import { allowCommentFilter } from "./filters/allow-comment.js";
import { pathAllowlistFilter, pathMatcher, valueAllowlistFilter } from "./filters/allowlist.js";
import { baselineFilter, readBaseline } from "./filters/baseline.js";
import { ignoreFingerprintFilter, readIgnoreFile } from "./filters/ignore-file.js";
import { applyFilters, type FindingFilter } from "./filters/types.js";
import { defaultWorkerCount, makeBatches, scanOnPool } from "./pool.js";
import type { ScanStats } from "./report/types.js";
import { type FileBatchResult, scanFileBatch } from "./scan-files.js";
import { enumerateFiles, type FileEntry } from "./sources/enumerate.js";
import { loadStructuredHandlers } from "./sources/structured.js";

export const IGNORE_FILE_NAME = ".leakgateignore";
export const DEFAULT_BASELINE_NAME = ".leakgate-baseline.json";

/** Below this much data, worker start-up costs more than it saves (pre-commit hooks, small repos). */
const IN_PROCESS_MAX_BYTES = 8 * 1024 * 1024;

export interface ScanRequest {
  /** Files and directories; `-` reads stdin. */
  paths: string[];
  cwd: string;
  /** Directory holding `.leakgateignore` and the default baseline. */
  root: string;
  config: LeakgateConfig;
  /** Explicit baseline; when absent, `<root>/.leakgate-baseline.json` is used if it exists. */
  baselinePath?: string;
  /** Skip the baseline filter (used when creating a baseline). */
  noBaseline?: boolean;
  readStdin?: () => Promise<Buffer>;
  workers?: number;
  detectorOptions?: DetectorOptions;
}

export interface ScanOutcome {
  findings: Finding[];
  stats: ScanStats;
  warnings: string[];
  rules: RuleDefinition[];
  baselineUsed?: string;
}

/** The filter chain shared by every mode: inline comments, config allowlists, ignore file, baseline. */
export function buildFilters(
  config: LeakgateConfig,
  extra: { ignoreFingerprints?: Set<string>; ignorePaths?: string[]; baseline?: Set<string> } = {},
): FindingFilter[] {
  const filters: FindingFilter[] = [allowCommentFilter];
  const paths = [...config.allowPaths, ...(extra.ignorePaths ?? [])];
  if (paths.length) filters.push(pathAllowlistFilter(paths));
  if (config.allowValues.length) filters.push(valueAllowlistFilter(config.allowValues));
  if (extra.ignoreFingerprints?.size) filters.push(ignoreFingerprintFilter(extra.ignoreFingerprints));
  if (extra.baseline?.size) filters.push(baselineFilter(extra.baseline));
  return filters;
}

function sizeOf(abs: string): number {
  try {
    return statSync(abs).size;
  } catch {
    return 0;
  }
}

/** Sources → worker pool → engine → filters. Reporting is the caller's job. */
export async function runScan(request: ScanRequest): Promise<ScanOutcome> {
  const started = performance.now();
  await loadStructuredHandlers();
  const rules = effectiveRules(request.config);
  const ignoreFile = readIgnoreFile(join(request.root, IGNORE_FILE_NAME));
  let baselinePath = request.baselinePath;
  if (!baselinePath && !request.noBaseline) {
    const candidate = join(request.root, DEFAULT_BASELINE_NAME);
    if (sizeOf(candidate) > 0) baselinePath = candidate;
  }
  const baseline = baselinePath && !request.noBaseline ? readBaseline(baselinePath) : undefined;
  const filters = buildFilters(request.config, {
    ignoreFingerprints: ignoreFile?.fingerprints,
    ignorePaths: ignoreFile?.paths,
    baseline,
  });

  const wantsStdin = request.paths.includes("-");
  const filePaths = request.paths.filter((p) => p !== "-");
  const skipPath = pathMatcher([...request.config.allowPaths, ...(ignoreFile?.paths ?? [])]);
  const entries = (filePaths.length ? await enumerateFiles(filePaths, request.cwd) : []).filter((e) => !skipPath(e.rel));

  // Config rules were compiled when the config was read and built-ins by the test suite, so patterns
  // compile lazily here: a scan only pays for the rules its input can trigger.
  const detectorOptions: DetectorOptions = { validate: false, ...request.detectorOptions };
  const sized = entries.map((e) => ({ ...e, size: sizeOf(e.abs) }));
  const totalBytes = sized.reduce((n, e) => n + e.size, 0);
  const workers = request.workers ?? defaultWorkerCount();
  let result: FileBatchResult;
  let detector: Detector | undefined;
  const getDetector = () => {
    detector ??= new Detector(rules, { keywordTableCache: diskKeywordTableCache(), ...detectorOptions });
    return detector;
  };
  if (workers <= 1 || totalBytes <= IN_PROCESS_MAX_BYTES) {
    result = await scanFileBatch(getDetector(), entries as FileEntry[], request.config.maxFileSize);
  } else {
    // Largest files first, so one big file does not finish last on a single worker.
    sized.sort((a, b) => b.size - a.size);
    result = await scanOnPool(makeBatches(sized), {
      rules,
      detectorOptions,
      maxFileSize: request.config.maxFileSize,
      workers,
    });
  }

  if (wantsStdin) {
    const bytes = request.readStdin ? await request.readStdin() : Buffer.alloc(0);
    const fragment: Fragment = { bytes, origin: { path: "-" } };
    result.files++;
    result.bytes += bytes.length;
    for (const f of getDetector().detect(fragment)) result.findings.push(f);
  }

  return {
    findings: applyFilters(result.findings, filters),
    stats: { files: result.files, bytes: result.bytes, skipped: result.skipped, durationMs: performance.now() - started },
    warnings: result.warnings,
    rules,
    baselineUsed: baseline ? baselinePath : undefined,
  };
}
