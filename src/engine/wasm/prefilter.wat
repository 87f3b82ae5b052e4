;; The engine's per-byte pass, in WebAssembly because it is the one loop that touches every byte of
;; every file: JavaScript's typed-array loop measured ~2x slower here, and RE2 has no literal prefix to
;; skip ahead on for these patterns. Assembled by scripts/build-wasm.mjs into prefilter-wasm.ts.
;;
;; One pass does two independent things:
;;  1. steps the keyword automaton (Aho-Corasick over byte classes, see keywords.ts) and records
;;     every state that has outputs, as (end offset, row) pairs;
;;  2. records every maximal run of base64 body bytes [A-Za-z0-9+/] at least `minRun` long, as
;;     (start, end, hex) triples, `hex` = 1 when the run holds `minHex` hex digits in a row: the only
;;     places a base64 or hex trigger can match.
;; The two are interleaved so the run bookkeeping fills the time the automaton waits on its table
;; lookup.
;;
;; Memory layout (set up by prefilter.ts):
;;   [0, 256)     byte -> keyword class
;;   [256, 512)   byte -> 1 for a base64 body byte, 3 for a hex digit (also a body byte), else 0
;;   $delta...    transition table: i32 byte offsets into itself (row * 4), indexed by row*4 + class*4
;;   $in...       the chunk of input being scanned
;;   $acOut...    (end, row) pairs;  $runOut...  (start, end, hex) triples
;; Offsets written out are absolute: `base` is the chunk's offset in the whole buffer. The automaton
;; row and the current runs' state carry over between chunks in globals.
(module
  (memory (export "memory") 1)
  (global $row (export "row") (mut i32) (i32.const 0))
  (global $runStart (export "runStart") (mut i32) (i32.const 0))
  (global $hexStart (export "hexStart") (mut i32) (i32.const 0))
  (global $hexSeen (export "hexSeen") (mut i32) (i32.const 0))
  (global $runCount (export "runCount") (mut i32) (i32.const 0))

  (func (export "scan")
    (param $in i32) (param $len i32) (param $base i32)
    (param $delta i32) (param $firstOut i32) (param $minRun i32) (param $minHex i32)
    (param $acOut i32) (param $runOut i32)
    (result i32)
    (local $p i32) (local $end i32) (local $row i32) (local $b i32) (local $pos i32)
    (local $flags i32) (local $body i32) (local $hex i32) (local $runStart i32)
    (local $hexStart i32) (local $hexSeen i32) (local $o i32) (local $r i32)
    (local.set $p (local.get $in))
    (local.set $end (i32.add (local.get $in) (local.get $len)))
    (local.set $row (global.get $row))
    (local.set $runStart (global.get $runStart))
    (local.set $hexStart (global.get $hexStart))
    (local.set $hexSeen (global.get $hexSeen))
    (local.set $o (local.get $acOut))
    (local.set $r (local.get $runOut))
    ;; $pos is the absolute offset of the byte at $p.
    (local.set $pos (local.get $base))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $b (i32.load8_u (local.get $p)))
        (local.set $row
          (i32.load
            (i32.add
              (i32.add (local.get $delta) (local.get $row))
              (i32.shl (i32.load8_u (local.get $b)) (i32.const 2)))))
        (local.set $flags (i32.load8_u offset=256 (local.get $b)))
        (local.set $body (i32.and (local.get $flags) (i32.const 1)))
        (local.set $hex (i32.shr_u (local.get $flags) (i32.const 1)))
        ;; A non-body byte ends the current run: keep it when long enough.
        (if (i32.and
              (i32.eqz (local.get $body))
              (i32.ge_s (i32.sub (local.get $pos) (local.get $runStart)) (local.get $minRun)))
          (then
            (i32.store (local.get $r) (local.get $runStart))
            (i32.store offset=4 (local.get $r) (local.get $pos))
            (i32.store offset=8 (local.get $r) (local.get $hexSeen))
            (local.set $r (i32.add (local.get $r) (i32.const 12)))))
        ;; Branch-free bookkeeping (a mispredicted branch per word would cost more than the lookup).
        (local.set $runStart
          (select (local.get $runStart) (i32.add (local.get $pos) (i32.const 1)) (local.get $body)))
        (local.set $hexStart
          (select (local.get $hexStart) (i32.add (local.get $pos) (i32.const 1)) (local.get $hex)))
        (local.set $hexSeen
          (select
            (i32.or (local.get $hexSeen)
                    (i32.ge_s (i32.sub (i32.add (local.get $pos) (i32.const 1)) (local.get $hexStart)) (local.get $minHex)))
            (i32.const 0)
            (local.get $body)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (if (i32.ge_u (local.get $row) (local.get $firstOut))
          (then
            (i32.store (local.get $o) (local.get $pos))
            (i32.store offset=4 (local.get $o) (local.get $row))
            (local.set $o (i32.add (local.get $o) (i32.const 8)))))
        (br $next)))
    (global.set $row (local.get $row))
    (global.set $runStart (local.get $runStart))
    (global.set $hexStart (local.get $hexStart))
    (global.set $hexSeen (local.get $hexSeen))
    (global.set $runCount (i32.div_u (i32.sub (local.get $r) (local.get $runOut)) (i32.const 12)))
    (i32.shr_u (i32.sub (local.get $o) (local.get $acOut)) (i32.const 3)))
)
