import { printableRatio } from "./printable.js";
import type { Decoder } from "./types.js";

/** Hex-encoded text (seen in env dumps and config exports); hashes decode to binary and are dropped. */
const HEX_ONLY = /^[0-9a-fA-F]{32,}$/;
const LEADING_DELIMITER = /^[^0-9A-Za-z]+/;

export const hexDecoder: Decoder = {
  kind: "hex",
  trigger: "[0-9a-fA-F]{32,}",
  // The combined trigger may include the base64 delimiter (`"`, `=`, `: `) before the run.
  claims: (match) => HEX_ONLY.test(match.toString("latin1").replace(LEADING_DELIMITER, "")),
  runStart: (match) => match.length - match.toString("latin1").replace(LEADING_DELIMITER, "").length,
  decode(run) {
    if (run.length % 2 !== 0) return null;
    const decoded = Buffer.from(run.toString("latin1"), "hex");
    if (decoded.length < 16) return null;
    return printableRatio(decoded) >= 0.95 ? decoded : null;
  },
};
