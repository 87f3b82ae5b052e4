/**
 * Converts byte offsets (what RE2 reports on Buffers) into 1-based lines and 1-based UTF-16
 * columns (what editors and SARIF `columnKind: utf16CodeUnits` use). Built once per fragment,
 * only when the fragment has a finding.
 */
/** Offsets where lines start (after each `\n`), for a Buffer or a string alike. */
export function lineStarts(text: { indexOf(value: string | number, from?: number): number }, newline: string | number): number[] {
  const starts = [0];
  let i = text.indexOf(newline);
  while (i !== -1) {
    starts.push(i + 1);
    i = text.indexOf(newline, i + 1);
  }
  return starts;
}

/** 0-based index of the line holding `offset`, by binary search over `lineStarts` output. */
export function lineIndexOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export class LineIndex {
  private readonly starts: number[];
  constructor(private readonly bytes: Buffer) {
    this.starts = lineStarts(bytes, 10);
  }

  /** 0-based index of the line holding `offset`. */
  lineOf(offset: number): number {
    return lineIndexOf(this.starts, offset);
  }

  /** 1-based line and UTF-16 column of a byte offset. */
  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    const start = this.starts[line] as number;
    const column = this.bytes.toString("utf8", start, offset).length + 1;
    return { line: line + 1, column };
  }

  /** Byte span of the line holding `offset`, without its line break. */
  lineSpan(offset: number): { start: number; end: number } {
    const line = this.lineOf(offset);
    const start = this.starts[line] as number;
    let end = line + 1 < this.starts.length ? (this.starts[line + 1] as number) - 1 : this.bytes.length;
    if (end > start && this.bytes[end - 1] === 13) end -= 1;
    return { start, end };
  }
}
