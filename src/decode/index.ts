import { base64Decoder } from "./base64.js";
import { hexDecoder } from "./hex.js";
import { percentDecoder } from "./percent.js";
import type { Decoder } from "./types.js";

export type { DecodedRun, Decoder } from "./types.js";
/** In claim order: a run with `%XX` is percent-encoded, an all-hex run is hex, anything else base64. */
export const decoders: readonly Decoder[] = [percentDecoder, hexDecoder, base64Decoder];
