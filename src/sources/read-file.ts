import { closeSync, fstatSync, openSync, readSync } from "node:fs";

export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/** Bytes inspected for a NUL byte to call a file binary (as git does). */
const BINARY_SNIFF = 8 * 1024;

/**
 * Reads a file for scanning: skips directories, files over the cap and binary files (NUL in the
 * first 8 KiB, after a UTF-16 BOM is ruled out). UTF-16 text is transcoded to UTF-8 and a UTF-8 BOM
 * is dropped, so lines and columns come out as an editor shows them. Never throws.
 */
export function readFileForScan(path: string, maxSize: number): ReadResult {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    return { ok: false, reason: describe(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: stat.isDirectory() ? "a directory" : "not a regular file" };
    if (stat.size > maxSize) return { ok: false, reason: `larger than the ${formatMiB(maxSize)} cap (${formatMiB(stat.size)})` };
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, bytes, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeText(read === stat.size ? bytes : bytes.subarray(0, read));
  } catch (error) {
    return { ok: false, reason: describe(error) };
  } finally {
    closeSync(fd);
  }
}

export function decodeText(bytes: Buffer): ReadResult {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    const body = Buffer.from(bytes.subarray(2));
    if (!le) body.swap16();
    return { ok: true, bytes: Buffer.from(body.toString("utf16le"), "utf8") };
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { ok: true, bytes: bytes.subarray(3) };
  const sniff = bytes.subarray(0, BINARY_SNIFF);
  if (sniff.includes(0)) return { ok: false, reason: "binary" };
  return { ok: true, bytes };
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT":
      return "does not exist";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "symlink loop";
    case "EISDIR":
      return "a directory";
    default:
      return code ?? (error as Error).message;
  }
}

function formatMiB(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
