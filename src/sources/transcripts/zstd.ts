/**
 * Codex can store rollouts as `rollout-*.jsonl.zst`. Reading uses fzstd (pure JS). There is no
 * compressor among the dependencies, so a redacted rollout is written back as a valid zstd frame made
 * of raw (stored) blocks: any zstd reader, Codex included, reads it; it is just not smaller.
 */
import { Decompress } from "fzstd";

const ZSTD_MAGIC = 0xfd2fb528;
/** Largest block a zstd frame may hold. */
const MAX_BLOCK = 128 * 1024;

export function isZstd(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32LE(0) === ZSTD_MAGIC;
}

export class DecompressedTooLarge extends Error {}

/** Decompresses a zstd stream, refusing to grow past `maxBytes`. Throws on corrupt data. */
export function zstdDecompress(bytes: Buffer, maxBytes: number): Buffer {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new DecompressedTooLarge(`decompresses to more than ${(maxBytes / 1024 / 1024).toFixed(1)} MiB`);
    chunks.push(chunk);
  });
  // Feed in slices so the size cap trips early on a decompression bomb.
  const step = 1024 * 1024;
  for (let i = 0; i < bytes.length; i += step) stream.push(bytes.subarray(i, Math.min(bytes.length, i + step)), i + step >= bytes.length);
  if (bytes.length === 0) stream.push(new Uint8Array(0), true);
  return Buffer.concat(chunks.map((c) => Buffer.from(c.buffer, c.byteOffset, c.length)));
}

/** One zstd frame holding `data` in raw blocks (single segment, content size recorded, no checksum). */
export function zstdRawFrame(data: Buffer): Buffer {
  const blocks = Math.max(1, Math.ceil(data.length / MAX_BLOCK));
  const out = Buffer.alloc(4 + 1 + 8 + blocks * 3 + data.length);
  let o = out.writeUInt32LE(ZSTD_MAGIC, 0);
  // Frame header descriptor: content size field of 8 bytes (flag 3), single segment, no checksum, no dictionary.
  out[o++] = 0b1110_0000;
  out.writeBigUInt64LE(BigInt(data.length), o);
  o += 8;
  for (let b = 0; b < blocks; b++) {
    const start = b * MAX_BLOCK;
    const size = Math.min(MAX_BLOCK, data.length - start);
    const last = b === blocks - 1 ? 1 : 0;
    // Block header (24 bits, little endian): last-block flag, type 0 (raw), size.
    const header = last | (0 << 1) | (size << 3);
    out[o++] = header & 0xff;
    out[o++] = (header >> 8) & 0xff;
    out[o++] = (header >> 16) & 0xff;
    o += data.copy(out, o, start, start + size);
  }
  return out;
}
