import { printableRatio } from "./printable.js";
import type { Decoder } from "./types.js";

/**
 * Base64 (standard and URL-safe) runs: Kubernetes `Secret` data, docker `auths`, basic-auth
 * headers, env values. Only runs that decode to mostly printable text are worth a second look.
 */
const IS_BASE64 = new Uint8Array(256);
for (const b of Buffer.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")) IS_BASE64[b] = 1;
const ONLY_LETTERS = /^[A-Za-z]+$/;
const ONLY_HEX = /^[0-9a-fA-F]+$/;
const ONLY_DIGITS = /^[0-9]+$/;

export const base64Decoder: Decoder = {
  kind: "base64",
  // Standard alphabet, after a quote, `=`, `: ` or `Basic `: where base64 values sit in configs,
  // manifests, env files and headers. Measured on a 9 MB bundle: 1.6k candidate runs and 21 ms, versus
  // 57k runs and 340 ms for any 20+ character run (identifiers). URL-safe tokens have their own rules.
  trigger: "(?:[\"'=]|:\\s{0,3}|Basic\\s)[A-Za-z0-9+/]{22,}[A-Za-z0-9+/=]{2}",
  claims: () => true,
  runStart(match) {
    let i = match.subarray(0, 5).toString("latin1") === "Basic" ? 5 : 0;
    while (i < match.length && !IS_BASE64[match[i] as number]) i++;
    return i;
  },
  decode(run) {
    const text = run.toString("latin1");
    const body = text.replace(/=+$/, "");
    // Real base64 of text nearly always has a digit or + / somewhere; identifiers rarely do.
    if (!/[0-9+/]/.test(body)) return null;
    if (ONLY_LETTERS.test(body) || ONLY_HEX.test(body) || ONLY_DIGITS.test(body)) return null;
    if (body.length % 4 === 1) return null;
    const decoded = Buffer.from(body, "base64");
    if (decoded.length < 12) return null;
    return printableRatio(decoded) >= 0.9 ? decoded : null;
  },
};
