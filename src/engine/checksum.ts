import { crc32 } from "node:zlib";

/**
 * Checksum validators for token formats that document one. A rule names its validator with
 * `checksum: <name>`; a candidate that fails it is a look-alike and is dropped.
 */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function base62Encode(value: number, width: number): string {
  let out = "";
  let n = value >>> 0;
  while (n > 0) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, "0");
}

/**
 * GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm (`npm_`) tokens: prefix, 30 random base62
 * characters, then the CRC32 of those 30 characters in base62, left-padded to 6.
 * See https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/
 */
export function validBase62Crc32Token(token: string): boolean {
  const underscore = token.indexOf("_");
  if (underscore < 0) return false;
  const body = token.slice(underscore + 1);
  if (body.length < 7) return false;
  const random = body.slice(0, -6);
  const check = body.slice(-6);
  return base62Encode(crc32(random), 6) === check;
}

/** Grafana service-account tokens: `glsa_` + 32 base62 + `_` + 8 hex of the CRC32 of everything before it. */
export function validGrafanaServiceAccountToken(token: string): boolean {
  const m = /^(glsa_[A-Za-z0-9]{32})_([0-9a-f]{8})$/.exec(token);
  if (!m) return false;
  return (
    crc32(m[1] as string)
      .toString(16)
      .padStart(8, "0") === m[2]
  );
}

export type ChecksumValidator = (secret: string) => boolean;

export const checksumValidators: Record<string, ChecksumValidator> = {
  "base62-crc32": validBase62Crc32Token,
  "grafana-sa": validGrafanaServiceAccountToken,
};

/** Makes a token with a valid checksum; used by tests and benchmarks so no real-looking token is committed. */
export function makeBase62Crc32Token(prefix: string, random: string): string {
  return `${prefix}${random}${base62Encode(crc32(random), 6)}`;
}
