/** Text decoded from an encoded run of a parent fragment; `start`/`end` are the run's bytes in the parent. */
export interface DecodedRun {
  kind: "base64" | "hex" | "percent";
  start: number;
  end: number;
  bytes: Buffer;
}

export interface Decoder {
  kind: DecodedRun["kind"];
  /** RE2 pattern that finds candidate runs (also used in the engine's multi-pattern pass). */
  trigger: string;
  /** Whether a match of the combined trigger is this decoder's kind of run (checked in order percent, hex, base64). */
  claims(match: Buffer): boolean;
  /** Offset of the encoded run inside a trigger match that includes its delimiter (default 0). */
  runStart?(match: Buffer): number;
  /** Turns one candidate run into decoded bytes worth scanning, or null. */
  decode(run: Buffer): Buffer | null;
}
