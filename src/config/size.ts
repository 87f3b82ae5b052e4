import { ConfigError } from "../errors.js";

const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** Parses `25MB`, `512k`, `1048576` into bytes. */
export function parseSize(value: string | number, what: string): number {
  if (typeof value === "number" && Number.isFinite(value) && value > 0) return Math.floor(value);
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(value));
  const unit = m ? UNITS[(m[2] as string).toLowerCase()] : undefined;
  if (!m || unit === undefined || Number(m[1]) <= 0) {
    throw new ConfigError(`${what}: expected a size such as 25MB, got ${JSON.stringify(value)}`);
  }
  return Math.floor(Number(m[1]) * unit);
}
