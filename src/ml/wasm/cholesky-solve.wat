;; The dense preconditioner's triangular solves (buildPreconditioner in src/ml/train-logistic-regression.ts) in
;; WebAssembly with 2-lane f64 SIMD. Each L-BFGS iteration applies it twice to every class's [weights, bias] vector
;; (151 classes × 201² multiply-adds at 15,000 × 151 with 200-d vectors); the JavaScript loops cost ~8% of a
;; training. The TypeScript loops stay the reference the tests compare against.
;; Build: `npm run build:wasm` (wabt) writes src/ml/wasm/cholesky-solve-wasm.ts; a test checks the two agree.
;;
;; Layout (f64, byte addresses): L, the lower Cholesky factor, row-major q × q; U = Lᵀ, row-major (so that both
;; solves read rows contiguously); T, K vectors of q to solve in place. Sums keep four partial lanes, so they round
;; differently from a sequential loop — within the tests' tolerances.
(module
  (memory (export "memory") 1)

  ;; Σ a[c] · b[c] for c < len; a and b 8-byte aligned (rows of an odd q start mid-pair).
  (func $dot (param $a i32) (param $b i32) (param $len i32) (result f64)
    (local $i i32) (local $end i32) (local $bytes i32) (local $s v128) (local $s2 v128) (local $r f64)
    (local.set $end (i32.shl (i32.and (local.get $len) (i32.const -4)) (i32.const 3)))
    (local.set $bytes (i32.shl (local.get $len) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $s (f64x2.add (local.get $s)
          (f64x2.mul (v128.load align=8 (i32.add (local.get $a) (local.get $i))) (v128.load align=8 (i32.add (local.get $b) (local.get $i))))))
        (local.set $s2 (f64x2.add (local.get $s2)
          (f64x2.mul (v128.load offset=16 align=8 (i32.add (local.get $a) (local.get $i))) (v128.load offset=16 align=8 (i32.add (local.get $b) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $l)))
    (local.set $s (f64x2.add (local.get $s) (local.get $s2)))
    (local.set $r (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))
    (block $tailDone
      (loop $t
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $bytes)))
        (local.set $r (f64.add (local.get $r)
          (f64.mul (f64.load (i32.add (local.get $a) (local.get $i))) (f64.load (i32.add (local.get $b) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $t)))
    (local.get $r))

  ;; For each of the K vectors t at T: L y = t, then U x = y (U = Lᵀ), in place.
  (func (export "solve") (param $L i32) (param $U i32) (param $T i32) (param $K i32) (param $q i32)
    (local $k i32) (local $t i32) (local $i i32) (local $row i32) (local $at i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $q) (i32.const 3)))
    (local.set $t (local.get $T))
    (block $classesDone
      (loop $classes
        (br_if $classesDone (i32.ge_u (local.get $k) (local.get $K)))
        ;; Forward: t[i] = (t[i] − L[i, <i] · t[<i]) / L[i, i]
        (local.set $i (i32.const 0))
        (local.set $row (local.get $L))
        (block $fDone
          (loop $f
            (br_if $fDone (i32.ge_u (local.get $i) (local.get $q)))
            (local.set $at (i32.add (local.get $t) (i32.shl (local.get $i) (i32.const 3))))
            (f64.store (local.get $at)
              (f64.div
                (f64.sub (f64.load (local.get $at)) (call $dot (local.get $row) (local.get $t) (local.get $i)))
                (f64.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3))))))
            (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $f)))
        ;; Backward: t[i] = (t[i] − U[i, >i] · t[>i]) / U[i, i], from the last row up.
        (local.set $i (local.get $q))
        (block $bDone
          (loop $b
            (br_if $bDone (i32.eqz (local.get $i)))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (local.set $row (i32.add (local.get $U) (i32.mul (local.get $i) (local.get $rowBytes))))
            (local.set $at (i32.add (local.get $t) (i32.shl (local.get $i) (i32.const 3))))
            (f64.store (local.get $at)
              (f64.div
                (f64.sub (f64.load (local.get $at))
                  (call $dot
                    (i32.add (local.get $row) (i32.shl (i32.add (local.get $i) (i32.const 1)) (i32.const 3)))
                    (i32.add (local.get $at) (i32.const 8))
                    (i32.sub (i32.sub (local.get $q) (local.get $i)) (i32.const 1))))
                (f64.load (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 3))))))
            (br $b)))
        (local.set $t (i32.add (local.get $t) (local.get $rowBytes)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $classes)))
    )
)
