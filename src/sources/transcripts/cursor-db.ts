/**
 * Cursor keeps chats in SQLite (`state.vscdb`): tables `cursorDiskKV` and `ItemTable`, both
 * `(key TEXT UNIQUE, value BLOB)`, with JSON text in `value`. Rows are read with sql.js (SQLite in
 * WASM, loaded only when a database is scanned) and scanned like JSONL records, many rows per
 * detector call. Positions are line and column inside the row's value; the logical location names
 * the table and key.
 */
import type { Database, SqlJsStatic } from "sql.js";
import type { Detector } from "../../engine/detector.js";
import { LineIndex } from "../../engine/positions.js";
import type { Origin } from "../../engine/types.js";
import type { FormatInfo } from "./formats.js";
import { locateStructured } from "./locate.js";
import { type Located, StructuredScan } from "./scanner.js";

export const CURSOR_TABLES = ["cursorDiskKV", "ItemTable"] as const;

export interface CursorRow {
  table: string;
  key: string;
  value: Buffer;
  /** SQLite storage class of the value, kept when a redacted value is written back. */
  type: "blob" | "text";
}

/** A finding in a row; `start`/`end` are byte offsets inside the row's value. */
export interface RowLocated extends Located {
  row: CursorRow;
}

let sqlModule: Promise<SqlJsStatic> | undefined;

export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlModule ??= import("sql.js").then((m) => (m.default as unknown as () => Promise<SqlJsStatic>)());
  return sqlModule;
}

export async function openDatabase(bytes: Buffer): Promise<Database> {
  const SQL = await loadSqlJs();
  return new SQL.Database(bytes);
}

/** Every row of the Cursor tables present in the database (throws when the file is not SQLite). */
export function readCursorRows(db: Database): CursorRow[] {
  const rows: CursorRow[] = [];
  const tables = new Set<string>();
  const list = db.exec("SELECT name FROM sqlite_master WHERE type = 'table'");
  for (const r of list[0]?.values ?? []) tables.add(String(r[0]));
  for (const table of CURSOR_TABLES) {
    if (!tables.has(table)) continue;
    const st = db.prepare(`SELECT key, value FROM "${table}"`);
    try {
      while (st.step()) {
        const [key, value] = st.get();
        if (value === null || value === undefined) continue;
        if (value instanceof Uint8Array) {
          rows.push({ table, key: String(key), value: Buffer.from(value.buffer, value.byteOffset, value.length), type: "blob" });
        } else {
          rows.push({ table, key: String(key), value: Buffer.from(String(value), "utf8"), type: "text" });
        }
      }
    } finally {
      st.free();
    }
  }
  return rows;
}

/** Rows per detector pass (bounded by bytes). */
const CHUNK_BYTES = 64 * 1024 * 1024;

/** Scans the rows in chunks: each row is one JSON record of a virtual JSONL buffer. */
export function scanCursorRows(detector: Detector, rows: readonly CursorRow[], origin: Origin, info: FormatInfo): RowLocated[] {
  const out: RowLocated[] = [];
  let i = 0;
  while (i < rows.length) {
    const chunk: CursorRow[] = [];
    let size = 0;
    while (i < rows.length && (chunk.length === 0 || size < CHUNK_BYTES)) {
      const row = rows[i++] as CursorRow;
      chunk.push(row);
      size += row.value.length + 1;
    }
    const buf = Buffer.allocUnsafe(size);
    const docs: { start: number; end: number }[] = [];
    let pos = 0;
    for (const row of chunk) {
      docs.push({ start: pos, end: pos + row.value.length });
      pos += row.value.copy(buf, pos);
      buf[pos++] = 0x0a;
    }
    const lineIndexes = new Map<number, LineIndex>();
    let scan: StructuredScan | undefined;
    const positionOf = (offset: number) => {
      const d = (scan as StructuredScan).docAt(offset);
      const doc = docs[d] as { start: number; end: number };
      let lines = lineIndexes.get(d);
      if (!lines) {
        lines = new LineIndex(buf.subarray(doc.start, doc.end));
        lineIndexes.set(d, lines);
      }
      return lines.position(Math.min(offset, doc.end) - doc.start);
    };
    scan = new StructuredScan(detector, buf, origin, { docs, positionOf });
    const located = scan.run();
    locateStructured(scan, located, {
      info,
      path: origin.path,
      rowKey: (record) => {
        const row = chunk[record];
        return row ? `${row.table}:${row.key}` : undefined;
      },
    });
    for (const l of located) {
      const doc = docs[l.doc] as { start: number; end: number };
      out.push({ ...l, start: l.start - doc.start, end: l.end - doc.start, row: chunk[l.doc] as CursorRow });
    }
  }
  return out;
}
