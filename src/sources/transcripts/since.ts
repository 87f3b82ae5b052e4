import { UsageError } from "../../errors.js";

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** `7d`, `12h`, `30m`, `45s`, `2w`, or a date / date-time (`2026-01-31`, ISO 8601) → epoch ms. */
export function parseSince(text: string, now = Date.now()): number {
  const t = text.trim();
  const rel = /^(\d+)\s*([smhdw])$/i.exec(t);
  if (rel) return now - Number(rel[1]) * (UNIT_MS[(rel[2] as string).toLowerCase()] as number);
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const ms = Date.parse(t);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(`--since must be a duration (7d, 12h, 30m, 2w) or a date (2026-01-31), got "${text}"`);
}
