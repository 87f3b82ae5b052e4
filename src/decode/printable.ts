/** Share of bytes that are printable ASCII, whitespace or part of a UTF-8 sequence. */
export function printableRatio(bytes: Buffer): number {
  if (bytes.length === 0) return 0;
  let ok = 0;
  for (const b of bytes) {
    if ((b >= 0x20 && b < 0x7f) || b === 9 || b === 10 || b === 13 || b >= 0xc2) ok++;
  }
  return ok / bytes.length;
}
