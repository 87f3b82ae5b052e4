import { describe, expect, it } from "vitest";
import {
  decodeJsonString,
  decodeJsonStringInto,
  formatPointer,
  type JsonStringValue,
  JsonWalker,
  jsonRecords,
  jsonStringValues,
} from "../../src/decode/json-strings.js";
import { LineIndex } from "../../src/engine/positions.js";

const values = (text: string, keys = false): JsonStringValue[] => [...jsonStringValues(Buffer.from(text, "utf8"), { keys })];

/** Decodes the raw content of the first string literal of `json` (a JSON string literal). */
function decodeLiteral(json: string) {
  const buf = Buffer.from(json, "utf8");
  return { buf, ...decodeJsonString(buf, 1, buf.length - 1, true) };
}

describe("decodeJsonString", () => {
  it("resolves every JSON escape", () => {
    const cases: [string, string][] = [
      [String.raw`"a\nb"`, "a\nb"],
      [String.raw`"q\"q"`, 'q"q'],
      [String.raw`"back\\slash"`, "back\\slash"],
      [String.raw`"sl\/ash"`, "sl/ash"],
      [String.raw`"\t\r\b\f"`, "\t\r\b\f"],
      [String.raw`"ghp\u005fabc\u002fdef"`, "ghp_abc/def"],
      [String.raw`"caf\u00e9 \u20ac"`, "café €"],
      [String.raw`"smile \ud83d\ude00!"`, "smile 😀!"],
      [String.raw`"\u0000"`, "\u0000"],
    ];
    for (const [json, expected] of cases) {
      expect(decodeLiteral(json).bytes.toString("utf8"), json).toBe(expected);
      expect(decodeLiteral(json).bytes.equals(Buffer.from(JSON.parse(json) as string, "utf8")), json).toBe(true);
    }
  });

  it("turns lone surrogates into U+FFFD, like Buffer.from(JSON.parse(...))", () => {
    for (const json of [String.raw`"x\ud83dy"`, String.raw`"x\ude00y"`, String.raw`"end\ud83d"`, String.raw`"\ud83d\u0041"`]) {
      const expected = Buffer.from(JSON.parse(json) as string, "utf8");
      expect(decodeLiteral(json).bytes.equals(expected), json).toBe(true);
    }
  });

  it("keeps invalid escapes as written and never throws", () => {
    for (const raw of [String.raw`a\qb`, String.raw`a\u12`, String.raw`x\ud83dy`, "abc\\"]) {
      const buf = Buffer.from(raw);
      const out = Buffer.alloc(buf.length);
      const end = decodeJsonStringInto(buf, 0, buf.length, out, 0);
      expect(out.subarray(0, end).equals(decodeJsonString(buf, 0, buf.length).bytes), raw).toBe(true);
    }
    expect(decodeLiteral(String.raw`"a\qb"`).bytes.toString()).toBe("a\\qb");
    expect(decodeLiteral(String.raw`"a\u12"`).bytes.toString()).toBe("a\\u12");
    const buf = Buffer.from("abc\\", "utf8");
    expect(decodeJsonString(buf, 0, buf.length).bytes.toString()).toBe("abc\\");
  });

  it("returns a view of the input when there is nothing to decode", () => {
    const buf = Buffer.from('"plain text"');
    const d = decodeJsonString(buf, 1, buf.length - 1, true);
    expect(d.bytes.buffer).toBe(buf.buffer);
    expect(d.map?.toRaw(3)).toBe(4);
  });

  it("matches JSON.parse on random strings, with an exact offset map", () => {
    const alphabet = ['"', "\\", "/", "\n", "\t", "\u0001", "a", "Z", "7", "é", "€", "😀", "\u2028", " ", "_"];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const chars: string[] = [];
      for (let i = rand(30); i > 0; i--) chars.push(alphabet[rand(alphabet.length)] as string);
      const value = chars.join("");
      // Mix the escape styles: JSON.stringify's, plus \u escapes for some plain characters.
      let json = JSON.stringify(value);
      if (round % 2 === 0) json = json.replace(/[a_7]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
      if (round % 3 === 0) json = json.replace(/\//g, "\\/").replace(/😀/g, "\\ud83d\\ude00");
      const { buf, bytes, map } = decodeLiteral(json);
      expect(bytes.toString("utf8")).toBe(value);
      // The allocation-free variant writes the same bytes.
      const out = Buffer.alloc(buf.length + 8, 0x2e);
      const end = decodeJsonStringInto(buf, 1, buf.length - 1, out, 3);
      expect(out.subarray(3, end).equals(bytes)).toBe(true);
      // Every character boundary maps to the raw text of exactly that prefix.
      let decodedOffset = 0;
      for (const ch of ["", ...chars]) {
        decodedOffset += Buffer.byteLength(ch, "utf8");
        const raw = map?.toRaw(decodedOffset) as number;
        const prefix = JSON.parse(`"${buf.toString("utf8", 1, raw)}"`) as string;
        expect(Buffer.byteLength(prefix, "utf8")).toBe(decodedOffset);
      }
    }
  });
});

describe("JsonWalker", () => {
  it("reports every string value with its pointer and escape flag", () => {
    const got = values('{"type":"user","message":{"content":[{"type":"text","text":"hi\\nthere"},{"n":1,"ok":true,"z":null}]}}');
    expect(got.map((v) => [v.pointer, v.bytes.toString(), v.escaped])).toEqual([
      ["$.type", "user", false],
      ["$.message.content[0].type", "text", false],
      ["$.message.content[0].text", "hi\nthere", true],
    ]);
  });

  it("reports keys when asked, and formats odd keys", () => {
    const got = values('{"a b":{"x\\"y":"v"},"$ok":["w"]}', true);
    expect(got.map((v) => [v.isKey, v.pointer, v.bytes.toString()])).toEqual([
      [true, '$["a b"]', "a b"],
      [true, '$["a b"]["x\\"y"]', 'x"y'],
      [false, '$["a b"]["x\\"y"]', "v"],
      [true, "$.$ok", "$ok"],
      [false, "$.$ok[0]", "w"],
    ]);
    expect(formatPointer(["message", "content", 0, "input", "command"])).toBe("$.message.content[0].input.command");
  });

  it("gives raw spans that point at the content between the quotes", () => {
    const text = '{"k": "v\\u0041lue", "n": [ "x" ]}';
    const buf = Buffer.from(text);
    for (const v of values(text)) {
      expect(buf[v.start - 1]).toBe(0x22);
      expect(buf[v.end]).toBe(0x22);
      expect(JSON.parse(`"${buf.toString("utf8", v.start, v.end)}"`)).toBe(v.bytes.toString());
    }
  });

  it("accepts top-level scalars, strings and empty containers", () => {
    for (const text of ['"s"', "42", "-1.5e3", "true", "null", "{}", "[]", "[[],{}]", ' {"a":[]} ']) {
      const buf = Buffer.from(text);
      expect(new JsonWalker(buf).walk(0, buf.length, {}).ok, text).toBe(true);
    }
  });

  it("rejects malformed JSON without throwing", () => {
    for (const text of ['{"a":}', '{"a" 1}', "[1,]", '{"a":1,}', '{"a":"unterminated}', "{a:1}", "[1 2]", "tru", '{"a":1', "", "}"]) {
      const buf = Buffer.from(text);
      expect(new JsonWalker(buf).walk(0, buf.length, {}).ok, text).toBe(false);
    }
  });

  it("handles an escaped quote or backslash right before the closing quote", () => {
    const got = values(String.raw`["a\\", "b\"", "c\\\"", "d"]`);
    expect(got.map((v) => v.bytes.toString())).toEqual(["a\\", 'b"', 'c\\"', "d"]);
  });

  it("tracks the object's type and the current key", () => {
    const buf = Buffer.from('{"type":"thinking","thinking":"hmm","signature":"c2ln"}');
    const seen: [string | undefined, boolean][] = [];
    new JsonWalker(buf).walk(0, buf.length, {
      value(_s, _e, _esc, w) {
        seen.push([w.objectType(), w.keyIs(Buffer.from("signature"))]);
      },
    });
    expect(seen).toEqual([
      ["thinking", false],
      ["thinking", false],
      ["thinking", true],
    ]);
  });

  it("walks deep nesting without recursion and stops when the visitor asks", () => {
    const deep = `${"[".repeat(3000)}"x"${"]".repeat(3000)}`;
    const got = values(deep);
    expect(got).toHaveLength(1);
    expect(got[0]?.path).toHaveLength(3000);
    const buf = Buffer.from('["a","b","c"]');
    const seen: string[] = [];
    const r = new JsonWalker(buf).walk(0, buf.length, {
      value(s, e) {
        seen.push(buf.toString("utf8", s, e));
        return seen.length === 2;
      },
    });
    expect(r).toMatchObject({ ok: true, stopped: true });
    expect(seen).toEqual(["a", "b"]);
  });
});

describe("jsonRecords / jsonStringValues over JSONL", () => {
  it("splits JSONL into lines and a pretty-printed document into one record", () => {
    expect(jsonRecords(Buffer.from('{"a":1}\n\n{"b":2}\r\n[3]\n'))).toEqual([
      { start: 0, end: 7, record: 0 },
      { start: 9, end: 17, record: 1 },
      { start: 18, end: 21, record: 2 },
    ]);
    expect(jsonRecords(Buffer.from('{\n  "a": [\n    "x"\n  ]\n}\n'))).toEqual([{ start: 0, end: 25, record: 0 }]);
    expect(jsonRecords(Buffer.from("  \n"))).toEqual([]);
  });

  it("skips a malformed line and reports it", () => {
    const malformed: number[] = [];
    const buf = Buffer.from('{"a":"1"}\n{"b": oops}\n{"c":"3"}\n');
    const got = [...jsonStringValues(buf, { onMalformed: (_s, _e, record) => malformed.push(record) })];
    expect(got.map((v) => [v.record, v.pointer, v.bytes.toString()])).toEqual([
      [0, "$.a", "1"],
      [2, "$.c", "3"],
    ]);
    expect(malformed).toEqual([1]);
  });

  it("maps a decoded offset to the physical line and UTF-16 column", () => {
    // Line 2 holds an emoji (2 UTF-16 units, 4 bytes) and escapes before the value we look for.
    const text = '{"first":"line"}\n{"text":"😀 \\"quoted\\"\\nTOKEN\\u003dabc"}\n';
    const buf = Buffer.from(text, "utf8");
    const value = [...jsonStringValues(buf)].find((v) => v.pointer === "$.text") as JsonStringValue;
    const decoded = value.bytes.toString("utf8");
    expect(decoded).toBe('😀 "quoted"\nTOKEN=abc');
    const at = value.bytes.indexOf("TOKEN");
    const lines = new LineIndex(buf);
    const pos = lines.position(value.map.toRaw(at));
    // Physical line 2: {"text":"😀 \"quoted\"\nTOKEN... ; TOKEN starts after 9 + 2 + 1 + 10 + 2 characters.
    const physicalLine = text.split("\n")[1] as string;
    expect(pos).toEqual({ line: 2, column: physicalLine.indexOf("TOKEN") + 1 });
    // The `=` written as \u003d maps to its backslash; the byte after it to the byte after the escape.
    const eq = value.bytes.indexOf("=");
    expect(lines.position(value.map.toRaw(eq)).column).toBe(physicalLine.indexOf("\\u003d") + 1);
    expect(lines.position(value.map.toRaw(eq + 1)).column).toBe(physicalLine.indexOf("abc") + 1);
  });
});
