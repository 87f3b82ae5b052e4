import { printableRatio } from "./printable.js";
import type { Decoder } from "./types.js";

/**
 * Base64 (standard and URL-safe) runs: Kubernetes `Secret` data, docker `auths`, basic-auth
 * headers, env values. Only runs that decode to mostly printable text are worth a second look.
 */
const ONLY_LETTERS = /^[A-Za-z]+$/;
const ONLY_HEX = /^[0-9a-fA-F]+$/;
const ONLY_DIGITS = /^[0-9]+$/;

export const base64Decoder: Decoder = {
  kind: "base64",
  trigger: "[A-Za-z0-9+/_-]{20,}={0,2}",
  decode(run) {
    const text = run.toString("latin1");
    const body = text.replace(/=+$/, "");
    if (ONLY_LETTERS.test(body) || ONLY_HEX.test(body) || ONLY_DIGITS.test(body)) return null;
    if (body.length % 4 === 1) return null;
    // A run mixing both alphabets is not base64 (e.g. a path or an identifier).
    if (/[+/]/.test(body) && /[-_]/.test(body)) return null;
    const decoded = Buffer.from(body, /[-_]/.test(body) ? "base64url" : "base64");
    if (decoded.length < 12) return null;
    return printableRatio(decoded) >= 0.9 ? decoded : null;
  },
};
