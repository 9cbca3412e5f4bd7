;; The dense logistic objective's two row loops (src/ml/logistic-kernel.ts runLogisticBlock) in WebAssembly with
;; f64x2 SIMD: logits z = W·x + b and the gradient G += r ⊗ x over a tile of rows. Features arrive as f32 and are
;; widened once per tile; every product and sum is f64, in the TypeScript loop's order, so a tile gives the same bits
;; as runLogisticBlock (the reference the tests compare against). Build: `npm run build:wasm` writes
;; src/ml/wasm/logistic-kernels-wasm.ts.
;;
;; Layout (byte offsets into the imported memory, 16-byte aligned; src/ml/wasm-logistic-kernel.ts sizes it once):
;;   x   [n × dp]  f32 raw features, dp = d rounded up to a multiple of 8, padding zero
;;   xs  [T × dp]  f64 one tile of rows, widened from x
;;   w   [kp × dp] f64 effective weights, kp = K rounded up to even, padding zero
;;   b   [kp]      f64 biases
;;   z   [T × kp]  f64 logits out of forward; residuals r into backward
;;   g   [kp × dp] f64 gradient partial sums, added into by backward
(module
  ;; Shared: helper threads instantiate this module on the same memory and run other row blocks.
  (import "env" "memory" (memory 1 65536 shared))

  ;; xs[i] = f64(x[i]) for i < count (a multiple of 4)
  (func (export "widen") (param $x i32) (param $xs i32) (param $count i32)
    (local $i i32) (local $end i32) (local $v v128) (local $o i32)
    (local.set $end (i32.shl (local.get $count) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (v128.load (i32.add (local.get $x) (local.get $i))))
        (local.set $o (i32.add (local.get $xs) (i32.shl (local.get $i) (i32.const 1))))
        (v128.store (local.get $o) (f64x2.promote_low_f32x4 (local.get $v)))
        (v128.store offset=16 (local.get $o)
          (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l))))

  ;; s[j] += x[i, j] and s2[j] += x[i, j]^2 (f64) for rows i < n added one after another, j < dp (a multiple of 4): the
  ;; features' sums for standardization (src/ml/feature-standardization.ts adds them in the same order). A NaN or
  ;; infinite feature makes its s2 non-finite (finite f32 squares cannot overflow f64), so this is the finite check too.
  (func (export "moments") (param $x i32) (param $n i32) (param $dp i32) (param $s i32) (param $s2 i32)
    (local $i i32) (local $j i32) (local $rowBytes i32) (local $v v128) (local $lo v128) (local $hi v128) (local $o i32)
    (local.set $rowBytes (i32.shl (local.get $dp) (i32.const 2)))
    (block $rowsDone
      (loop $r
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (loop $f
          (local.set $v (v128.load (i32.add (local.get $x) (local.get $j))))
          (local.set $lo (f64x2.promote_low_f32x4 (local.get $v)))
          (local.set $hi
            (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
          (local.set $o (i32.shl (local.get $j) (i32.const 1)))
          (v128.store (i32.add (local.get $s) (local.get $o))
            (f64x2.add (v128.load (i32.add (local.get $s) (local.get $o))) (local.get $lo)))
          (v128.store offset=16 (i32.add (local.get $s) (local.get $o))
            (f64x2.add (v128.load offset=16 (i32.add (local.get $s) (local.get $o))) (local.get $hi)))
          (v128.store (i32.add (local.get $s2) (local.get $o))
            (f64x2.add (v128.load (i32.add (local.get $s2) (local.get $o))) (f64x2.mul (local.get $lo) (local.get $lo))))
          (v128.store offset=16 (i32.add (local.get $s2) (local.get $o))
            (f64x2.add (v128.load offset=16 (i32.add (local.get $s2) (local.get $o))) (f64x2.mul (local.get $hi) (local.get $hi))))
          (local.set $j (i32.add (local.get $j) (i32.const 16)))
          (br_if $f (i32.lt_u (local.get $j) (local.get $rowBytes))))
        (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $r))))

  ;; One logit from its accumulators: a = (s0, s1), c = (s2, s3) over j < d4, the features d4 ≤ j < d added to s0
  ;; one by one, then b + s0 + s1 + s2 + s3 — the TypeScript loop's four partial sums, in its order.
  (func $finish (param $a v128) (param $c v128) (param $x i32) (param $w i32) (param $j i32) (param $end i32)
                (param $bias f64) (result f64)
    (local $s f64)
    (local.set $s (f64x2.extract_lane 0 (local.get $a)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $s (f64.add (local.get $s)
          (f64.mul (f64.load (i32.add (local.get $w) (local.get $j))) (f64.load (i32.add (local.get $x) (local.get $j))))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $l)))
    (f64.add (f64.add (f64.add (f64.add (local.get $bias) (local.get $s))
      (f64x2.extract_lane 1 (local.get $a))) (f64x2.extract_lane 0 (local.get $c))) (f64x2.extract_lane 1 (local.get $c))))

  ;; Rows x0, x1 (may be the same row) against classes w0, w1: 8 accumulators, so each loaded vector feeds two
  ;; multiply-adds. d4 and dEnd are byte offsets (features · 8) of 4·floor(d/4) and d.
  (func $pair (param $x0 i32) (param $x1 i32) (param $w0 i32) (param $w1 i32) (param $d4 i32) (param $dEnd i32)
              (param $b0 f64) (param $b1 f64) (param $z0 i32) (param $z1 i32)
    (local $j i32)
    (local $xa v128) (local $ya v128) (local $wa v128) (local $wb v128)
    (local $a00 v128) (local $c00 v128) (local $a01 v128) (local $c01 v128)
    (local $a10 v128) (local $c10 v128) (local $a11 v128) (local $c11 v128)
    ;; Two passes over the features, (s0, s1) lanes then (s2, s3): one pass keeps 4 sums and 4 loaded vectors live,
    ;; which fit in registers (one pass over all four, 8 sums and 8 loads, had V8 spill a sum every iteration).
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $j) (local.get $d4)))
        (local.set $xa (v128.load (i32.add (local.get $x0) (local.get $j))))
        (local.set $ya (v128.load (i32.add (local.get $x1) (local.get $j))))
        (local.set $wa (v128.load (i32.add (local.get $w0) (local.get $j))))
        (local.set $wb (v128.load (i32.add (local.get $w1) (local.get $j))))
        (local.set $a00 (f64x2.add (local.get $a00) (f64x2.mul (local.get $wa) (local.get $xa))))
        (local.set $a10 (f64x2.add (local.get $a10) (f64x2.mul (local.get $wa) (local.get $ya))))
        (local.set $a01 (f64x2.add (local.get $a01) (f64x2.mul (local.get $wb) (local.get $xa))))
        (local.set $a11 (f64x2.add (local.get $a11) (f64x2.mul (local.get $wb) (local.get $ya))))
        (local.set $j (i32.add (local.get $j) (i32.const 32)))
        (br $l)))
    (local.set $j (i32.const 16))
    (block $done2
      (loop $l2
        (br_if $done2 (i32.ge_u (local.get $j) (local.get $d4)))
        (local.set $xa (v128.load (i32.add (local.get $x0) (local.get $j))))
        (local.set $ya (v128.load (i32.add (local.get $x1) (local.get $j))))
        (local.set $wa (v128.load (i32.add (local.get $w0) (local.get $j))))
        (local.set $wb (v128.load (i32.add (local.get $w1) (local.get $j))))
        (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $wa) (local.get $xa))))
        (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $wa) (local.get $ya))))
        (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $wb) (local.get $xa))))
        (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $wb) (local.get $ya))))
        (local.set $j (i32.add (local.get $j) (i32.const 32)))
        (br $l2)))
    (local.set $j (local.get $d4))
    (f64.store (local.get $z0)
      (call $finish (local.get $a00) (local.get $c00) (local.get $x0) (local.get $w0) (local.get $j) (local.get $dEnd) (local.get $b0)))
    (f64.store offset=8 (local.get $z0)
      (call $finish (local.get $a01) (local.get $c01) (local.get $x0) (local.get $w1) (local.get $j) (local.get $dEnd) (local.get $b1)))
    (f64.store (local.get $z1)
      (call $finish (local.get $a10) (local.get $c10) (local.get $x1) (local.get $w0) (local.get $j) (local.get $dEnd) (local.get $b0)))
    (f64.store offset=8 (local.get $z1)
      (call $finish (local.get $a11) (local.get $c11) (local.get $x1) (local.get $w1) (local.get $j) (local.get $dEnd) (local.get $b1))))

  ;; z[i · kp + k] = b[k] + Σ_j w[k · dp + j] · xs[i · dp + j] for i < rows, k < kp. Rows go two at a time (an odd
  ;; last row is paired with itself) and classes two at a time; each logit's sums are its own, so pairing does not
  ;; change its bits.
  (func (export "forward") (param $xs i32) (param $rows i32) (param $dp i32) (param $d i32) (param $w i32)
                           (param $b i32) (param $kp i32) (param $z i32)
    (local $rowBytes i32) (local $zBytes i32) (local $d4 i32) (local $dEnd i32)
    (local $i i32) (local $k i32) (local $x0 i32) (local $x1 i32) (local $z0 i32) (local $z1 i32) (local $w0 i32)
    (local.set $rowBytes (i32.shl (local.get $dp) (i32.const 3)))
    (local.set $zBytes (i32.shl (local.get $kp) (i32.const 3)))
    (local.set $d4 (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 3)))
    (local.set $dEnd (i32.shl (local.get $d) (i32.const 3)))
    (block $rowsDone
      (loop $r
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $x0 (i32.add (local.get $xs) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $z0 (i32.add (local.get $z) (i32.mul (local.get $i) (local.get $zBytes))))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $rows))
          (then
            (local.set $x1 (i32.add (local.get $x0) (local.get $rowBytes)))
            (local.set $z1 (i32.add (local.get $z0) (local.get $zBytes))))
          (else
            (local.set $x1 (local.get $x0))
            (local.set $z1 (local.get $z0))))
        (local.set $k (i32.const 0))
        (loop $c
          (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $k) (local.get $rowBytes))))
          (call $pair (local.get $x0) (local.get $x1) (local.get $w0) (i32.add (local.get $w0) (local.get $rowBytes))
            (local.get $d4) (local.get $dEnd)
            (f64.load (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 3))))
            (f64.load offset=8 (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 3))))
            (i32.add (local.get $z0) (i32.shl (local.get $k) (i32.const 3)))
            (i32.add (local.get $z1) (i32.shl (local.get $k) (i32.const 3))))
          (local.set $k (i32.add (local.get $k) (i32.const 2)))
          (br_if $c (i32.lt_u (local.get $k) (local.get $kp))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $r))))

  ;; g[k · dp + j] += Σ_i r[i · kp + k] · xs[i · dp + j] for k < kp, j < dp, rows i = 0 … rows − 1 added one after
  ;; another (the TypeScript loop's order, so the same bits). Blocks of 2 classes × 8 features keep 8 sums in
  ;; registers across the tile's rows: g is loaded and stored once per tile, each loaded x feeds two multiply-adds.
  ;; $lower ≠ 0 skips the blocks wholly above the diagonal (k < j): with r = xs this is the lower triangle of the
  ;; rows' second moments, the preconditioner's (src/ml/dense-preconditioner.ts).
  (func (export "backward") (param $xs i32) (param $rows i32) (param $dp i32) (param $r i32) (param $kp i32) (param $g i32)
                            (param $lower i32)
    (local $rowBytes i32) (local $rBytes i32) (local $j i32) (local $k i32) (local $i i32)
    (local $xp i32) (local $rp i32) (local $g0 i32) (local $g1 i32)
    (local $p v128) (local $q v128) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $rowBytes (i32.shl (local.get $dp) (i32.const 3)))
    (local.set $rBytes (i32.shl (local.get $kp) (i32.const 3)))
    (block $featuresDone
      (loop $f
        (br_if $featuresDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
        ;; j / 8 is the block's first feature, a multiple of 8: classes from there on when $lower
        (local.set $k (select (i32.shr_u (local.get $j) (i32.const 3)) (i32.const 0) (local.get $lower)))
        (loop $c
          (local.set $g0 (i32.add (i32.add (local.get $g) (i32.mul (local.get $k) (local.get $rowBytes))) (local.get $j)))
          (local.set $g1 (i32.add (local.get $g0) (local.get $rowBytes)))
          (local.set $a0 (v128.load (local.get $g0)))
          (local.set $a1 (v128.load offset=16 (local.get $g0)))
          (local.set $a2 (v128.load offset=32 (local.get $g0)))
          (local.set $a3 (v128.load offset=48 (local.get $g0)))
          (local.set $b0 (v128.load (local.get $g1)))
          (local.set $b1 (v128.load offset=16 (local.get $g1)))
          (local.set $b2 (v128.load offset=32 (local.get $g1)))
          (local.set $b3 (v128.load offset=48 (local.get $g1)))
          (local.set $xp (i32.add (local.get $xs) (local.get $j)))
          (local.set $rp (i32.add (local.get $r) (i32.shl (local.get $k) (i32.const 3))))
          (local.set $i (local.get $rows))
          (loop $rowLoop
            (local.set $p (v128.load64_splat (local.get $rp)))
            (local.set $q (v128.load64_splat offset=8 (local.get $rp)))
            (local.set $v (v128.load (local.get $xp)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $p) (local.get $v))))
            (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $q) (local.get $v))))
            (local.set $v (v128.load offset=16 (local.get $xp)))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $p) (local.get $v))))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $q) (local.get $v))))
            (local.set $v (v128.load offset=32 (local.get $xp)))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $p) (local.get $v))))
            (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $q) (local.get $v))))
            (local.set $v (v128.load offset=48 (local.get $xp)))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $p) (local.get $v))))
            (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $q) (local.get $v))))
            (local.set $xp (i32.add (local.get $xp) (local.get $rowBytes)))
            (local.set $rp (i32.add (local.get $rp) (local.get $rBytes)))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (br_if $rowLoop (local.get $i)))
          (v128.store (local.get $g0) (local.get $a0))
          (v128.store offset=16 (local.get $g0) (local.get $a1))
          (v128.store offset=32 (local.get $g0) (local.get $a2))
          (v128.store offset=48 (local.get $g0) (local.get $a3))
          (v128.store (local.get $g1) (local.get $b0))
          (v128.store offset=16 (local.get $g1) (local.get $b1))
          (v128.store offset=32 (local.get $g1) (local.get $b2))
          (v128.store offset=48 (local.get $g1) (local.get $b3))
          (local.set $k (i32.add (local.get $k) (i32.const 2)))
          (br_if $c (i32.lt_u (local.get $k) (local.get $kp))))
        (local.set $j (i32.add (local.get $j) (i32.const 64)))
        (br $f))))
)
