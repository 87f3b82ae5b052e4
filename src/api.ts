/**
 * Programmatic API (used by benchmarks and by anyone embedding leakgate): the same engine and
 * filters as `leakgate scan`, on buffers the caller already has.
 */
import { defaultConfig, effectiveRules, type LeakgateConfig } from "./config/config.js";
import { Detector, type DetectorOptions } from "./engine/detector.js";
import type { Finding } from "./engine/types.js";
import { applyFilters } from "./filters/types.js";
import { buildFilters } from "./scan.js";

export { loadBuiltinRules } from "./config/builtin-rules.js";
export { Detector } from "./engine/detector.js";
export { regexEngineName } from "./engine/regex.js";
export type { Finding, Fragment, Origin, RuleDefinition } from "./engine/types.js";

export interface Scanner {
  scanBuffer(bytes: Buffer, path: string): Finding[];
}

export function createScanner(config: LeakgateConfig = defaultConfig(), options: DetectorOptions = {}): Scanner {
  const detector = new Detector(effectiveRules(config), { validate: false, ...options });
  const filters = buildFilters(config);
  return {
    scanBuffer: (bytes, path) => applyFilters(detector.detect({ bytes, origin: { path } }), filters),
  };
}
