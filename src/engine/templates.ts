import { randomInt } from "node:crypto";
import { crc32 } from "node:zlib";
import { makeBase62Crc32Token } from "./checksum.js";

/**
 * Rule examples write checksummed tokens as `{{gen:<validator>:<prefix>}}`; they are expanded here,
 * at test time, into fresh tokens with a valid checksum, so the repository holds none.
 */
const ALPHANUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function randomAlphanumeric(length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHANUM[randomInt(ALPHANUM.length)];
  return out;
}

export function generateToken(validator: string, prefix: string): string {
  switch (validator) {
    case "base62-crc32":
      return makeBase62Crc32Token(prefix, randomAlphanumeric(30));
    case "grafana-sa": {
      const head = `${prefix}${randomAlphanumeric(32)}`;
      return `${head}_${crc32(head).toString(16).padStart(8, "0")}`;
    }
    default:
      throw new Error(`unknown token generator "${validator}"`);
  }
}

export function expandTemplates(text: string): string {
  return text.replace(/\{\{gen:([a-z0-9-]+):([^}]*)\}\}/g, (_, validator: string, prefix: string) => generateToken(validator, prefix));
}
