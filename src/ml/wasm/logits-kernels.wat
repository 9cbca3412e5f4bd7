;; Scoring's logits loop, z = W·x + b for every row, in WebAssembly with 4-lane f32 SIMD: ranking a pool spends
;; ~90% of its time here, and the TypeScript loop (computeLogits in src/ml/linear-model.ts, f64 sums) is the
;; reference the tests compare against. Build: `npm run build:wasm` writes src/ml/wasm/logits-kernels-wasm.ts.
;;
;; Layout (byte offsets into the imported memory, 16-byte aligned; the caller sizes the memory once, up front):
;;   x    [n × dp]  f32 rows, dp = d rounded up to a multiple of 4, padding zero
;;   w    [kp × dp] f32 effective weights on raw features, kp = K rounded up to a multiple of 4, padding zero
;;   b    [kp]      f32 biases
;;   out  [n × K]   f32 logits (only the K real classes are written)
;; Rows go two at a time and classes four at a time (the last one or two classes two at a time): per 4 features,
;; 2 loads of x and 4 of w feed 8 multiply-adds into 8 accumulators. Each accumulator belongs to one (row, class), so a row's logits do not depend on which row
;; it was paired with, nor on how a pool is cut into calls: the same bits for any chunking.
(module
  (import "env" "memory" (memory 1))

  ;; [Σa0, Σa1, Σa2, Σa3]: the lane sums of four accumulators in one vector
  (func $sum4 (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $a3 v128) (result v128)
    (local $u v128) (local $v v128)
    (local.set $u (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1))))
    (local.set $v (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3))))
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $u) (local.get $v))
      (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $u) (local.get $v))))

  ;; the first $count (1–4) lanes of $v to $p
  (func $store (param $p i32) (param $v v128) (param $count i32)
    (if (i32.ge_u (local.get $count) (i32.const 4))
      (then (v128.store (local.get $p) (local.get $v)) (return)))
    (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $v)))
    (if (i32.ge_u (local.get $count) (i32.const 2))
      (then (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.ge_u (local.get $count) (i32.const 3))
      (then (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $v))))))

  ;; Rows x0 and x1 (may be the same row) against classes w .. w + 3 rows; rowBytes = dp · 4 (≥ 16).
  (func $block (param $x0 i32) (param $x1 i32) (param $w i32) (param $rowBytes i32) (param $bias v128)
               (param $o0 i32) (param $o1 i32) (param $count i32)
    (local $j i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)
    (local $xa v128) (local $xb v128) (local $wv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $w1 (i32.add (local.get $w) (local.get $rowBytes)))
    (local.set $w2 (i32.add (local.get $w1) (local.get $rowBytes)))
    (local.set $w3 (i32.add (local.get $w2) (local.get $rowBytes)))
    (loop $l
      (local.set $xa (v128.load (i32.add (local.get $x0) (local.get $j))))
      (local.set $xb (v128.load (i32.add (local.get $x1) (local.get $j))))
      (local.set $wv (v128.load (i32.add (local.get $w) (local.get $j))))
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xa) (local.get $wv))))
      (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $xb) (local.get $wv))))
      (local.set $wv (v128.load (i32.add (local.get $w1) (local.get $j))))
      (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xa) (local.get $wv))))
      (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $xb) (local.get $wv))))
      (local.set $wv (v128.load (i32.add (local.get $w2) (local.get $j))))
      (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $xa) (local.get $wv))))
      (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $xb) (local.get $wv))))
      (local.set $wv (v128.load (i32.add (local.get $w3) (local.get $j))))
      (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $xa) (local.get $wv))))
      (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $xb) (local.get $wv))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $j) (local.get $rowBytes))))
    (call $store (local.get $o0)
      (f32x4.add (call $sum4 (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)) (local.get $bias))
      (local.get $count))
    (call $store (local.get $o1)
      (f32x4.add (call $sum4 (local.get $b0) (local.get $b1) (local.get $b2) (local.get $b3)) (local.get $bias))
      (local.get $count)))

  ;; The same for classes w and w + 1 only: the last one or two classes of a K that is not a multiple of 4 (half the
  ;; work of a padded group of four; for a binary task, all of it).
  (func $block2 (param $x0 i32) (param $x1 i32) (param $w i32) (param $rowBytes i32) (param $bias v128)
                (param $o0 i32) (param $o1 i32) (param $count i32)
    (local $j i32) (local $w1 i32)
    (local $xa v128) (local $xb v128) (local $wv v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128)
    (local.set $w1 (i32.add (local.get $w) (local.get $rowBytes)))
    (loop $l
      (local.set $xa (v128.load (i32.add (local.get $x0) (local.get $j))))
      (local.set $xb (v128.load (i32.add (local.get $x1) (local.get $j))))
      (local.set $wv (v128.load (i32.add (local.get $w) (local.get $j))))
      (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $xa) (local.get $wv))))
      (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (local.get $xb) (local.get $wv))))
      (local.set $wv (v128.load (i32.add (local.get $w1) (local.get $j))))
      (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $xa) (local.get $wv))))
      (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $xb) (local.get $wv))))
      (local.set $j (i32.add (local.get $j) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $j) (local.get $rowBytes))))
    ;; lanes 0 and 1 of sum4(a0, a1, a0, a1) are Σa0 and Σa1, summed in the same order as $block's
    (call $store (local.get $o0)
      (f32x4.add (call $sum4 (local.get $a0) (local.get $a1) (local.get $a0) (local.get $a1)) (local.get $bias))
      (local.get $count))
    (call $store (local.get $o1)
      (f32x4.add (call $sum4 (local.get $b0) (local.get $b1) (local.get $b0) (local.get $b1)) (local.get $bias))
      (local.get $count)))

  ;; out[i · K + k] = b[k] + Σ_j w[k · dp + j] · x[i · dp + j] for i < n, k < K (dp ≥ 4, a multiple of 4)
  (func (export "logits") (param $x i32) (param $n i32) (param $dp i32) (param $w i32) (param $K i32) (param $b i32)
                          (param $out i32)
    (local $rowBytes i32) (local $outBytes i32) (local $i i32) (local $k i32) (local $x0 i32) (local $x1 i32)
    (local $o0 i32) (local $o1 i32) (local $left i32)
    (local.set $rowBytes (i32.shl (local.get $dp) (i32.const 2)))
    (local.set $outBytes (i32.shl (local.get $K) (i32.const 2)))
    (block $rows
      (loop $r
        (br_if $rows (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $x0 (i32.add (local.get $x) (i32.mul (local.get $i) (local.get $rowBytes))))
        (local.set $o0 (i32.add (local.get $out) (i32.mul (local.get $i) (local.get $outBytes))))
        ;; an odd last row is paired with itself
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $n))
          (then
            (local.set $x1 (i32.add (local.get $x0) (local.get $rowBytes)))
            (local.set $o1 (i32.add (local.get $o0) (local.get $outBytes))))
          (else
            (local.set $x1 (local.get $x0))
            (local.set $o1 (local.get $o0))))
        (local.set $k (i32.const 0))
        (loop $c
          (local.set $left (i32.sub (local.get $K) (local.get $k)))
          (if (i32.le_u (local.get $left) (i32.const 2))
            (then
              (call $block2 (local.get $x0) (local.get $x1)
                (i32.add (local.get $w) (i32.mul (local.get $k) (local.get $rowBytes))) (local.get $rowBytes)
                (v128.load (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 2))))
                (i32.add (local.get $o0) (i32.shl (local.get $k) (i32.const 2)))
                (i32.add (local.get $o1) (i32.shl (local.get $k) (i32.const 2)))
                (local.get $left)))
            (else
              (call $block (local.get $x0) (local.get $x1)
                (i32.add (local.get $w) (i32.mul (local.get $k) (local.get $rowBytes))) (local.get $rowBytes)
                (v128.load (i32.add (local.get $b) (i32.shl (local.get $k) (i32.const 2))))
                (i32.add (local.get $o0) (i32.shl (local.get $k) (i32.const 2)))
                (i32.add (local.get $o1) (i32.shl (local.get $k) (i32.const 2)))
                (local.get $left))))
          (local.set $k (i32.add (local.get $k) (i32.const 4)))
          (br_if $c (i32.lt_u (local.get $k) (local.get $K))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $r))))
)
