import { printableRatio } from "./printable.js";
import type { Decoder } from "./types.js";

/** Hex-encoded text (seen in env dumps and config exports); hashes decode to binary and are dropped. */
export const hexDecoder: Decoder = {
  kind: "hex",
  trigger: "[0-9a-fA-F]{32,}",
  decode(run) {
    if (run.length % 2 !== 0) return null;
    const decoded = Buffer.from(run.toString("latin1"), "hex");
    if (decoded.length < 16) return null;
    return printableRatio(decoded) >= 0.95 ? decoded : null;
  },
};
