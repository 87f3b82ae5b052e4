import { base64Decoder } from "./base64.js";
import { hexDecoder } from "./hex.js";
import { percentDecoder } from "./percent.js";
import type { Decoder } from "./types.js";

export type { DecodedRun, Decoder } from "./types.js";
export const decoders: readonly Decoder[] = [base64Decoder, hexDecoder, percentDecoder];
