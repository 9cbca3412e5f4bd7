;; Row kernels of the hybrid logistic objective (src/ml/hybrid-logistic-objective.ts), f32 with 128-bit SIMD.
;; The TypeScript loops in that file are the reference the tests compare against; this is the fast path.
;; Build: `npm run build:wasm` (wabt) writes src/ml/wasm/row-kernels-wasm.ts; a test checks the two agree.
;;
;; Layout (byte offsets into the imported memory, every array 16-byte aligned):
;;   x      [n × d] f32     dense features of the rows, already standardized (row-major)
;;   indptr [n + 1] i32     CSR row pointers of the sparse block
;;   cols   [nnz] i32       parameter row of each non-zero: d + (sparse column), so dense and sparse share θ
;;   vals   [nnz] f32       value of each non-zero (the block weight α already applied)
;;   theta  [(d + V) × kp] f32   weights, one row of kp per feature (kp = classes rounded up to 4)
;;   bias   [kp] f32
;;   z      [n × kp] f32    logits out (forward), residuals in (backward)
;;   grad   [(d + V) × kp] f32   accumulated by backward (the caller zeroes it)
;;   grad2  [(d + V) × kp] f32   the second thread's half of the rows accumulates here, then addInto(grad, grad2)
;; With single-label softmax residuals (wasm-row-kernels.ts `softmax`), also labels [n] i32, row weights [n] f64, the
;; outputs' keep masks and fixed logits [kp] f64, per-row max / z at the label / sum [n] f64, and per-half class sums
;; and scratch rows [kp] f64.
;; forward and backward take a range of rows by offsetting x, indptr and z (indptr's values stay absolute).
;; Every row of kp floats is a whole number of 4-lane vectors, so the loops need no scalar tail.
(module
  ;; Shared, so a second thread (src/ml/row-kernel-thread.ts) can run the same loops on the other half of the rows.
  (import "env" "memory" (memory 1 65536 shared))

  ;; dst[i] += src[i] for i in [0, n); n a multiple of 4 (the second thread's gradient added into the first's)
  (func (export "addInto") (param $dst i32) (param $src i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $dst) (local.get $i))
          (f32x4.add (v128.load (i32.add (local.get $dst) (local.get $i))) (v128.load (i32.add (local.get $src) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l))))

;; z[i, :] = bias + Σ_j x[i, j] · θ[j, :] + Σ_p vals[p] · θ[cols[p], :]   for i in [0, n)
  ;; Register-blocked: a row's logits are built 8 vectors (32 classes) at a time in locals, then 4, then 1 vector at a
  ;; time for the rest, so θ is the only stream the inner loops load (z is written once per row). Each lane still adds
  ;; the features in the same order as the plain loop (dense j = 0…d−1, then the row's non-zeros), so the sums are
  ;; the same to the bit.
  (func (export "forward")
    (param $n i32) (param $d i32) (param $kp i32)
    (param $x i32) (param $indptr i32) (param $cols i32) (param $vals i32)
    (param $theta i32) (param $bias i32) (param $z i32)
    (local $i i32) (local $row i32) (local $zrow i32) (local $xrow i32) (local $xp i32) (local $xend i32)
    (local $t i32) (local $p i32) (local $pstart i32) (local $pend i32) (local $c i32) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local.set $row (i32.shl (local.get $kp) (i32.const 2)))
    (local.set $xrow (local.get $x))
    (local.set $zrow (local.get $z))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $xend (i32.add (local.get $xrow) (i32.shl (local.get $d) (i32.const 2))))
        (local.set $pstart (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $pend (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $c (i32.const 0))
            (block $c8_done
              (loop $c8
                (br_if $c8_done (i32.gt_u (i32.add (local.get $c) (i32.const 128)) (local.get $row)))
                (local.set $a0 (v128.load (i32.add (local.get $bias) (local.get $c))))
                (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (local.get $c))))
                (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (local.get $c))))
                (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (local.get $c))))
                (local.set $a4 (v128.load offset=64 (i32.add (local.get $bias) (local.get $c))))
                (local.set $a5 (v128.load offset=80 (i32.add (local.get $bias) (local.get $c))))
                (local.set $a6 (v128.load offset=96 (i32.add (local.get $bias) (local.get $c))))
                (local.set $a7 (v128.load offset=112 (i32.add (local.get $bias) (local.get $c))))
                ;; dense block: θ row j for feature j
                (local.set $xp (local.get $xrow))
                (local.set $t (i32.add (local.get $theta) (local.get $c)))
                (block $c8_dense_done
                  (loop $c8_dense
                    (br_if $c8_dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
                    (local.set $v (f32x4.splat (f32.load (local.get $xp))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (local.get $t)))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load offset=16 (local.get $t)))))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (v128.load offset=32 (local.get $t)))))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (v128.load offset=48 (local.get $t)))))
                    (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $v) (v128.load offset=64 (local.get $t)))))
                    (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $v) (v128.load offset=80 (local.get $t)))))
                    (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $v) (v128.load offset=96 (local.get $t)))))
                    (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $v) (v128.load offset=112 (local.get $t)))))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $t (i32.add (local.get $t) (local.get $row)))
                    (br $c8_dense)))
                ;; sparse block
                (local.set $p (local.get $pstart))
                (block $c8_sparse_done
                  (loop $c8_sparse
                    (br_if $c8_sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
                    (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
                    (local.set $t (i32.add (i32.add (local.get $theta) (local.get $c))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (local.get $t)))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load offset=16 (local.get $t)))))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (v128.load offset=32 (local.get $t)))))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (v128.load offset=48 (local.get $t)))))
                    (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $v) (v128.load offset=64 (local.get $t)))))
                    (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $v) (v128.load offset=80 (local.get $t)))))
                    (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $v) (v128.load offset=96 (local.get $t)))))
                    (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $v) (v128.load offset=112 (local.get $t)))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $c8_sparse)))
                (v128.store (i32.add (local.get $zrow) (local.get $c)) (local.get $a0))
                (v128.store offset=16 (i32.add (local.get $zrow) (local.get $c)) (local.get $a1))
                (v128.store offset=32 (i32.add (local.get $zrow) (local.get $c)) (local.get $a2))
                (v128.store offset=48 (i32.add (local.get $zrow) (local.get $c)) (local.get $a3))
                (v128.store offset=64 (i32.add (local.get $zrow) (local.get $c)) (local.get $a4))
                (v128.store offset=80 (i32.add (local.get $zrow) (local.get $c)) (local.get $a5))
                (v128.store offset=96 (i32.add (local.get $zrow) (local.get $c)) (local.get $a6))
                (v128.store offset=112 (i32.add (local.get $zrow) (local.get $c)) (local.get $a7))
                (local.set $c (i32.add (local.get $c) (i32.const 128)))
                (br $c8)))
            ;; then 4 vectors (16 classes) at a time, so the last few vectors do not each walk the row's features alone
            (block $c4_done
              (loop $c4
                (br_if $c4_done (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $row)))
                (local.set $a0 (v128.load (i32.add (local.get $bias) (local.get $c))))
                (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (local.get $c))))
                (local.set $a2 (v128.load offset=32 (i32.add (local.get $bias) (local.get $c))))
                (local.set $a3 (v128.load offset=48 (i32.add (local.get $bias) (local.get $c))))
                (local.set $xp (local.get $xrow))
                (local.set $t (i32.add (local.get $theta) (local.get $c)))
                (block $c4_dense_done
                  (loop $c4_dense
                    (br_if $c4_dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
                    (local.set $v (f32x4.splat (f32.load (local.get $xp))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (local.get $t)))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load offset=16 (local.get $t)))))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (v128.load offset=32 (local.get $t)))))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (v128.load offset=48 (local.get $t)))))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $t (i32.add (local.get $t) (local.get $row)))
                    (br $c4_dense)))
                (local.set $p (local.get $pstart))
                (block $c4_sparse_done
                  (loop $c4_sparse
                    (br_if $c4_sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
                    (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
                    (local.set $t (i32.add (i32.add (local.get $theta) (local.get $c))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (local.get $t)))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load offset=16 (local.get $t)))))
                    (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $v) (v128.load offset=32 (local.get $t)))))
                    (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $v) (v128.load offset=48 (local.get $t)))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $c4_sparse)))
                (v128.store (i32.add (local.get $zrow) (local.get $c)) (local.get $a0))
                (v128.store offset=16 (i32.add (local.get $zrow) (local.get $c)) (local.get $a1))
                (v128.store offset=32 (i32.add (local.get $zrow) (local.get $c)) (local.get $a2))
                (v128.store offset=48 (i32.add (local.get $zrow) (local.get $c)) (local.get $a3))
                (local.set $c (i32.add (local.get $c) (i32.const 64)))
                (br $c4)))
            ;; then 2
            (block $c2_done
              (loop $c2
                (br_if $c2_done (i32.gt_u (i32.add (local.get $c) (i32.const 32)) (local.get $row)))
                (local.set $a0 (v128.load (i32.add (local.get $bias) (local.get $c))))
                (local.set $a1 (v128.load offset=16 (i32.add (local.get $bias) (local.get $c))))
                (local.set $xp (local.get $xrow))
                (local.set $t (i32.add (local.get $theta) (local.get $c)))
                (block $c2_dense_done
                  (loop $c2_dense
                    (br_if $c2_dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
                    (local.set $v (f32x4.splat (f32.load (local.get $xp))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (local.get $t)))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load offset=16 (local.get $t)))))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $t (i32.add (local.get $t) (local.get $row)))
                    (br $c2_dense)))
                (local.set $p (local.get $pstart))
                (block $c2_sparse_done
                  (loop $c2_sparse
                    (br_if $c2_sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
                    (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
                    (local.set $t (i32.add (i32.add (local.get $theta) (local.get $c))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (local.get $t)))))
                    (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $v) (v128.load offset=16 (local.get $t)))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $c2_sparse)))
                (v128.store (i32.add (local.get $zrow) (local.get $c)) (local.get $a0))
                (v128.store offset=16 (i32.add (local.get $zrow) (local.get $c)) (local.get $a1))
                (local.set $c (i32.add (local.get $c) (i32.const 32)))
                (br $c2)))
            (block $c1_done
              (loop $c1
                (br_if $c1_done (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $row)))
                (local.set $a0 (v128.load (i32.add (local.get $bias) (local.get $c))))
                ;; dense block: θ row j for feature j
                (local.set $xp (local.get $xrow))
                (local.set $t (i32.add (local.get $theta) (local.get $c)))
                (block $c1_dense_done
                  (loop $c1_dense
                    (br_if $c1_dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
                    (local.set $v (f32x4.splat (f32.load (local.get $xp))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (local.get $t)))))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $t (i32.add (local.get $t) (local.get $row)))
                    (br $c1_dense)))
                ;; sparse block
                (local.set $p (local.get $pstart))
                (block $c1_sparse_done
                  (loop $c1_sparse
                    (br_if $c1_sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
                    (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
                    (local.set $t (i32.add (i32.add (local.get $theta) (local.get $c))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
                    (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $v) (v128.load (local.get $t)))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $c1_sparse)))
                (v128.store (i32.add (local.get $zrow) (local.get $c)) (local.get $a0))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $c1)))
        (local.set $xrow (local.get $xend))
        (local.set $zrow (i32.add (local.get $zrow) (local.get $row)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

;; grad[j, :] += x[i, j] · r[i, :] and grad[cols[p], :] += vals[p] · r[i, :]   for i in [0, n)
  ;; Register-blocked like forward: 8 vectors of the row's residuals (then 4, then 1 at a time) stay in locals while the
  ;; row's features update those columns of grad. Every element of grad still receives its rows' terms in row order,
  ;; so the sums are the same to the bit as the plain loop's.
  (func (export "backward")
    (param $n i32) (param $d i32) (param $kp i32)
    (param $x i32) (param $indptr i32) (param $cols i32) (param $vals i32)
    (param $r i32) (param $grad i32)
    (local $i i32) (local $row i32) (local $rrow i32) (local $xrow i32) (local $xp i32) (local $xend i32)
    (local $g i32) (local $p i32) (local $pstart i32) (local $pend i32) (local $c i32) (local $v v128)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $r4 v128) (local $r5 v128) (local $r6 v128) (local $r7 v128)
    (local $r8 v128) (local $r9 v128) (local $r10 v128) (local $r11 v128)
    (local.set $row (i32.shl (local.get $kp) (i32.const 2)))
    (local.set $xrow (local.get $x))
    (local.set $rrow (local.get $r))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $xend (i32.add (local.get $xrow) (i32.shl (local.get $d) (i32.const 2))))
        (local.set $pstart (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $pend (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $c (i32.const 0))
            ;; 12 vectors at a time first (as forward)
            (block $c12_done
              (loop $c12
                (br_if $c12_done (i32.gt_u (i32.add (local.get $c) (i32.const 192)) (local.get $row)))
                (local.set $r0 (v128.load (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r1 (v128.load offset=16 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r2 (v128.load offset=32 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r3 (v128.load offset=48 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r4 (v128.load offset=64 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r5 (v128.load offset=80 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r6 (v128.load offset=96 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r7 (v128.load offset=112 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r8 (v128.load offset=128 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r9 (v128.load offset=144 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r10 (v128.load offset=160 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r11 (v128.load offset=176 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $xp (local.get $xrow))
                (local.set $g (i32.add (local.get $grad) (local.get $c)))
                (block $c12_dense_done
                  (loop $c12_dense
                    (br_if $c12_dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
                    (local.set $v (f32x4.splat (f32.load (local.get $xp))))
                    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $v) (local.get $r0))))
                    (v128.store offset=16 (local.get $g) (f32x4.add (v128.load offset=16 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r1))))
                    (v128.store offset=32 (local.get $g) (f32x4.add (v128.load offset=32 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r2))))
                    (v128.store offset=48 (local.get $g) (f32x4.add (v128.load offset=48 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r3))))
                    (v128.store offset=64 (local.get $g) (f32x4.add (v128.load offset=64 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r4))))
                    (v128.store offset=80 (local.get $g) (f32x4.add (v128.load offset=80 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r5))))
                    (v128.store offset=96 (local.get $g) (f32x4.add (v128.load offset=96 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r6))))
                    (v128.store offset=112 (local.get $g) (f32x4.add (v128.load offset=112 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r7))))
                    (v128.store offset=128 (local.get $g) (f32x4.add (v128.load offset=128 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r8))))
                    (v128.store offset=144 (local.get $g) (f32x4.add (v128.load offset=144 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r9))))
                    (v128.store offset=160 (local.get $g) (f32x4.add (v128.load offset=160 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r10))))
                    (v128.store offset=176 (local.get $g) (f32x4.add (v128.load offset=176 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r11))))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $g (i32.add (local.get $g) (local.get $row)))
                    (br $c12_dense)))
                (local.set $p (local.get $pstart))
                (block $c12_sparse_done
                  (loop $c12_sparse
                    (br_if $c12_sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
                    (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
                    (local.set $g (i32.add (i32.add (local.get $grad) (local.get $c))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
                    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $v) (local.get $r0))))
                    (v128.store offset=16 (local.get $g) (f32x4.add (v128.load offset=16 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r1))))
                    (v128.store offset=32 (local.get $g) (f32x4.add (v128.load offset=32 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r2))))
                    (v128.store offset=48 (local.get $g) (f32x4.add (v128.load offset=48 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r3))))
                    (v128.store offset=64 (local.get $g) (f32x4.add (v128.load offset=64 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r4))))
                    (v128.store offset=80 (local.get $g) (f32x4.add (v128.load offset=80 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r5))))
                    (v128.store offset=96 (local.get $g) (f32x4.add (v128.load offset=96 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r6))))
                    (v128.store offset=112 (local.get $g) (f32x4.add (v128.load offset=112 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r7))))
                    (v128.store offset=128 (local.get $g) (f32x4.add (v128.load offset=128 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r8))))
                    (v128.store offset=144 (local.get $g) (f32x4.add (v128.load offset=144 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r9))))
                    (v128.store offset=160 (local.get $g) (f32x4.add (v128.load offset=160 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r10))))
                    (v128.store offset=176 (local.get $g) (f32x4.add (v128.load offset=176 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r11))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $c12_sparse)))
                (local.set $c (i32.add (local.get $c) (i32.const 192)))
                (br $c12)))
            (block $c8_done
              (loop $c8
                (br_if $c8_done (i32.gt_u (i32.add (local.get $c) (i32.const 128)) (local.get $row)))
                (local.set $r0 (v128.load (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r1 (v128.load offset=16 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r2 (v128.load offset=32 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r3 (v128.load offset=48 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r4 (v128.load offset=64 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r5 (v128.load offset=80 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r6 (v128.load offset=96 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r7 (v128.load offset=112 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $xp (local.get $xrow))
                (local.set $g (i32.add (local.get $grad) (local.get $c)))
                (block $c8_dense_done
                  (loop $c8_dense
                    (br_if $c8_dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
                    (local.set $v (f32x4.splat (f32.load (local.get $xp))))
                    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $v) (local.get $r0))))
                    (v128.store offset=16 (local.get $g) (f32x4.add (v128.load offset=16 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r1))))
                    (v128.store offset=32 (local.get $g) (f32x4.add (v128.load offset=32 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r2))))
                    (v128.store offset=48 (local.get $g) (f32x4.add (v128.load offset=48 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r3))))
                    (v128.store offset=64 (local.get $g) (f32x4.add (v128.load offset=64 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r4))))
                    (v128.store offset=80 (local.get $g) (f32x4.add (v128.load offset=80 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r5))))
                    (v128.store offset=96 (local.get $g) (f32x4.add (v128.load offset=96 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r6))))
                    (v128.store offset=112 (local.get $g) (f32x4.add (v128.load offset=112 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r7))))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $g (i32.add (local.get $g) (local.get $row)))
                    (br $c8_dense)))
                (local.set $p (local.get $pstart))
                (block $c8_sparse_done
                  (loop $c8_sparse
                    (br_if $c8_sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
                    (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
                    (local.set $g (i32.add (i32.add (local.get $grad) (local.get $c))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
                    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $v) (local.get $r0))))
                    (v128.store offset=16 (local.get $g) (f32x4.add (v128.load offset=16 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r1))))
                    (v128.store offset=32 (local.get $g) (f32x4.add (v128.load offset=32 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r2))))
                    (v128.store offset=48 (local.get $g) (f32x4.add (v128.load offset=48 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r3))))
                    (v128.store offset=64 (local.get $g) (f32x4.add (v128.load offset=64 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r4))))
                    (v128.store offset=80 (local.get $g) (f32x4.add (v128.load offset=80 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r5))))
                    (v128.store offset=96 (local.get $g) (f32x4.add (v128.load offset=96 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r6))))
                    (v128.store offset=112 (local.get $g) (f32x4.add (v128.load offset=112 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r7))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $c8_sparse)))
                (local.set $c (i32.add (local.get $c) (i32.const 128)))
                (br $c8)))
            ;; then 4 vectors at a time (as forward)
            (block $c4_done
              (loop $c4
                (br_if $c4_done (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $row)))
                (local.set $r0 (v128.load (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r1 (v128.load offset=16 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r2 (v128.load offset=32 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r3 (v128.load offset=48 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $xp (local.get $xrow))
                (local.set $g (i32.add (local.get $grad) (local.get $c)))
                (block $c4_dense_done
                  (loop $c4_dense
                    (br_if $c4_dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
                    (local.set $v (f32x4.splat (f32.load (local.get $xp))))
                    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $v) (local.get $r0))))
                    (v128.store offset=16 (local.get $g) (f32x4.add (v128.load offset=16 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r1))))
                    (v128.store offset=32 (local.get $g) (f32x4.add (v128.load offset=32 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r2))))
                    (v128.store offset=48 (local.get $g) (f32x4.add (v128.load offset=48 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r3))))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $g (i32.add (local.get $g) (local.get $row)))
                    (br $c4_dense)))
                (local.set $p (local.get $pstart))
                (block $c4_sparse_done
                  (loop $c4_sparse
                    (br_if $c4_sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
                    (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
                    (local.set $g (i32.add (i32.add (local.get $grad) (local.get $c))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
                    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $v) (local.get $r0))))
                    (v128.store offset=16 (local.get $g) (f32x4.add (v128.load offset=16 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r1))))
                    (v128.store offset=32 (local.get $g) (f32x4.add (v128.load offset=32 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r2))))
                    (v128.store offset=48 (local.get $g) (f32x4.add (v128.load offset=48 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r3))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $c4_sparse)))
                (local.set $c (i32.add (local.get $c) (i32.const 64)))
                (br $c4)))
            ;; then 2
            (block $c2_done
              (loop $c2
                (br_if $c2_done (i32.gt_u (i32.add (local.get $c) (i32.const 32)) (local.get $row)))
                (local.set $r0 (v128.load (i32.add (local.get $rrow) (local.get $c))))
                (local.set $r1 (v128.load offset=16 (i32.add (local.get $rrow) (local.get $c))))
                (local.set $xp (local.get $xrow))
                (local.set $g (i32.add (local.get $grad) (local.get $c)))
                (block $c2_dense_done
                  (loop $c2_dense
                    (br_if $c2_dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
                    (local.set $v (f32x4.splat (f32.load (local.get $xp))))
                    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $v) (local.get $r0))))
                    (v128.store offset=16 (local.get $g) (f32x4.add (v128.load offset=16 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r1))))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $g (i32.add (local.get $g) (local.get $row)))
                    (br $c2_dense)))
                (local.set $p (local.get $pstart))
                (block $c2_sparse_done
                  (loop $c2_sparse
                    (br_if $c2_sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
                    (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
                    (local.set $g (i32.add (i32.add (local.get $grad) (local.get $c))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
                    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $v) (local.get $r0))))
                    (v128.store offset=16 (local.get $g) (f32x4.add (v128.load offset=16 (local.get $g)) (f32x4.mul (local.get $v) (local.get $r1))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $c2_sparse)))
                (local.set $c (i32.add (local.get $c) (i32.const 32)))
                (br $c2)))
            (block $c1_done
              (loop $c1
                (br_if $c1_done (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $row)))
                (local.set $r0 (v128.load (i32.add (local.get $rrow) (local.get $c))))
                (local.set $xp (local.get $xrow))
                (local.set $g (i32.add (local.get $grad) (local.get $c)))
                (block $c1_dense_done
                  (loop $c1_dense
                    (br_if $c1_dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
                    (local.set $v (f32x4.splat (f32.load (local.get $xp))))
                    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $v) (local.get $r0))))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $g (i32.add (local.get $g) (local.get $row)))
                    (br $c1_dense)))
                (local.set $p (local.get $pstart))
                (block $c1_sparse_done
                  (loop $c1_sparse
                    (br_if $c1_sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
                    (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
                    (local.set $g (i32.add (i32.add (local.get $grad) (local.get $c))
                      (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
                    (v128.store (local.get $g) (f32x4.add (v128.load (local.get $g)) (f32x4.mul (local.get $v) (local.get $r0))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br $c1_sparse)))
                (local.set $c (i32.add (local.get $c) (i32.const 16)))
                (br $c1)))
        (local.set $xrow (local.get $xend))
        (local.set $rrow (i32.add (local.get $rrow) (local.get $row)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

;; e^x in both f64 lanes, for x ≤ 709: x = k·ln 2 + r (Cody–Waite split of ln 2, |r| ≤ ln 2 / 2), e^r by its Taylor
  ;; series to r^13 (truncation < 5e-18 relative) in Horner form, times 2^k built in the exponent bits. Below −708
  ;; the result is 0 (Math.exp gives at most 3e-308 there: nothing next to a softmax sum ≥ 1). Measured against
  ;; Math.exp: ≤ 2e-16 relative (tests/unit/ml/hybrid-objective.test.ts).
  (func $exp (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128) (local $under v128)
    (local.set $under (f64x2.lt (local.get $x) (f64x2.splat (f64.const -708))))
    (local.set $x (f64x2.max (local.get $x) (f64x2.splat (f64.const -708))))
    (local.set $k (f64x2.nearest (f64x2.mul (local.get $x) (f64x2.splat (f64.const 1.4426950408889634)))))
    (local.set $r (f64x2.sub
      (f64x2.sub (local.get $x) (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.62e42feep-1))))
      (f64x2.mul (local.get $k) (f64x2.splat (f64.const 0x1.a39ef35793c76p-33)))))
    (local.set $p (f64x2.splat (f64.const 1.6059043836821613e-10)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.08767569878681e-09))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.505210838544172e-08))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.755731922398589e-07))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.7557319223985893e-06))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 2.48015873015873e-05))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.0001984126984126984))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.001388888888888889))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.008333333333333333))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.041666666666666664))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.16666666666666666))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 0.5))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 1))))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (f64x2.splat (f64.const 1))))
    (v128.andnot
      (f64x2.mul (local.get $p)
        (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $k))) (i64x2.splat (i64.const 1023))) (i32.const 52)))
      (local.get $under)))

  ;; dst[i] = e^src[i] for i in [0, n), f64, n even (the tests compare $exp with Math.exp through this)
  (func (export "expArray") (param $src i32) (param $dst i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $dst) (local.get $i)) (call $exp (v128.load (i32.add (local.get $src) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l))))

  ;; A row's logit pair at byte offset $c/2 of z (f32) as f64, or the fixed value where the output is not trainable.
  (func $logits (param $zrow i32) (param $c i32) (param $keep i32) (param $fixed i32) (result v128)
    (v128.bitselect
      (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $zrow) (i32.shr_u (local.get $c) (i32.const 1)))))
      (v128.load (i32.add (local.get $fixed) (local.get $c)))
      (v128.load (i32.add (local.get $keep) (local.get $c)))))

;; Softmax residuals of single-label rows, in place: z[i, :] (logits, f32) becomes r = w_i (softmax(z_i) − onehot(y_i))
  ;; for trainable outputs and 0 for the others (keep[c] all ones or zero, f64 lanes; fixed[c] the logit an untrainable
  ;; output or a padding lane takes). Everything in f64 as the TypeScript residualRow: the row's max, e = exp(z − max)
  ;; (in the f64 scratch row $e), sum, then r rounded to f32. Per row out: rowMax, rowZy (z at the label) and rowSum
  ;; (the caller adds w_i (max + log sum − z_y) to the loss: WebAssembly has no log). rsum[c] = Σ_i r[i, c] (f64),
  ;; zeroed here first. $c walks byte offsets of f64 pairs (16 per step); z's are half of those.
  (func (export "residual")
    (param $n i32) (param $kp i32) (param $z i32) (param $y i32) (param $w i32) (param $keep i32) (param $fixed i32)
    (param $rowMax i32) (param $rowZy i32) (param $rowSum i32) (param $rsum i32) (param $e i32)
    (local $i i32) (local $c i32) (local $end i32) (local $zrow i32) (local $yi i32)
    (local $acc v128) (local $v v128) (local $m v128) (local $inv v128) (local $wi v128) (local $lane v128) (local $hot v128)
    (local $max f64) (local $sum f64)
    (local.set $end (i32.shl (local.get $kp) (i32.const 3)))
    (local.set $c (i32.const 0))
    (block $zero_done
      (loop $zero
        (br_if $zero_done (i32.ge_u (local.get $c) (local.get $end)))
        (v128.store (i32.add (local.get $rsum) (local.get $c)) (v128.const i64x2 0 0))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $zero)))
    (local.set $zrow (local.get $z))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
        ;; max
        (local.set $acc (f64x2.splat (f64.const -inf)))
        (local.set $c (i32.const 0))
        (block $max_done
          (loop $max_loop
            (br_if $max_done (i32.ge_u (local.get $c) (local.get $end)))
            (local.set $acc (f64x2.max (local.get $acc)
              (call $logits (local.get $zrow) (local.get $c) (local.get $keep) (local.get $fixed))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $max_loop)))
        (local.set $max (f64.max (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        ;; e = exp(z − max), sum
        (local.set $m (f64x2.splat (local.get $max)))
        (local.set $acc (v128.const i64x2 0 0))
        (local.set $c (i32.const 0))
        (block $exp_done
          (loop $exp_loop
            (br_if $exp_done (i32.ge_u (local.get $c) (local.get $end)))
            (local.set $v (call $exp (f64x2.sub
              (call $logits (local.get $zrow) (local.get $c) (local.get $keep) (local.get $fixed)) (local.get $m))))
            (v128.store (i32.add (local.get $e) (local.get $c)) (local.get $v))
            (local.set $acc (f64x2.add (local.get $acc) (local.get $v)))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $exp_loop)))
        (local.set $sum (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))
        (local.set $yi (i32.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2)))))
        (f64.store (i32.add (local.get $rowMax) (i32.shl (local.get $i) (i32.const 3))) (local.get $max))
        (f64.store (i32.add (local.get $rowSum) (i32.shl (local.get $i) (i32.const 3))) (local.get $sum))
        (f64.store (i32.add (local.get $rowZy) (i32.shl (local.get $i) (i32.const 3)))
          (f64.promote_f32 (f32.load (i32.add (local.get $zrow) (i32.shl (local.get $yi) (i32.const 2))))))
        ;; r = w (e / sum − onehot), masked; lane holds the pair's class indices to find the label's lane
        (local.set $inv (f64x2.splat (f64.div (f64.const 1) (local.get $sum))))
        (local.set $wi (f64x2.splat (f64.load (i32.add (local.get $w) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $hot (i64x2.splat (i64.extend_i32_u (local.get $yi))))
        (local.set $lane (v128.const i64x2 0 1))
        (local.set $c (i32.const 0))
        (block $res_done
          (loop $res_loop
            (br_if $res_done (i32.ge_u (local.get $c) (local.get $end)))
            (local.set $v (v128.and
              (f64x2.mul (local.get $wi)
                (f64x2.sub (f64x2.mul (v128.load (i32.add (local.get $e) (local.get $c))) (local.get $inv))
                  (v128.and (i64x2.eq (local.get $lane) (local.get $hot)) (f64x2.splat (f64.const 1)))))
              (v128.load (i32.add (local.get $keep) (local.get $c)))))
            (v128.store64_lane 0 (i32.add (local.get $zrow) (i32.shr_u (local.get $c) (i32.const 1)))
              (f32x4.demote_f64x2_zero (local.get $v)))
            (v128.store (i32.add (local.get $rsum) (local.get $c))
              (f64x2.add (v128.load (i32.add (local.get $rsum) (local.get $c))) (local.get $v)))
            (local.set $lane (i64x2.add (local.get $lane) (i64x2.splat (i64.const 2))))
            (local.set $c (i32.add (local.get $c) (i32.const 16)))
            (br $res_loop)))
        (local.set $zrow (i32.add (local.get $zrow) (i32.shl (local.get $kp) (i32.const 2))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
;; θ's n-gram rows from the optimizer's f64 layout [rows × K] into the kernels' f32 rows of kp (padding lanes untouched):
  ;; the same rounding as a JavaScript Float32Array assignment (round to nearest even).
  (func (export "packTheta") (param $dst i32) (param $src i32) (param $rows i32) (param $K i32) (param $kp i32)
    (local $r i32) (local $i i32) (local $pairs i32)
    (local.set $pairs (i32.shl (i32.and (local.get $K) (i32.const -2)) (i32.const 3)))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $pairs)))
            (v128.store64_lane align=4 0 (i32.add (local.get $dst) (i32.shr_u (local.get $i) (i32.const 1)))
              (f32x4.demote_f64x2_zero (v128.load align=8 (i32.add (local.get $src) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $l)))
        (if (i32.and (local.get $K) (i32.const 1))
          (then (f32.store (i32.add (local.get $dst) (i32.shr_u (local.get $i) (i32.const 1)))
            (f32.demote_f64 (f64.load (i32.add (local.get $src) (local.get $i)))))))
        (local.set $src (i32.add (local.get $src) (i32.shl (local.get $K) (i32.const 3))))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $kp) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop))))

  ;; The n-gram rows' f64 gradient in the optimizer's layout: dst[r·K + c] = (g[r, c] (+ g2[r, c] in f32, as addInto)) ·
  ;; invN + l2 · θ[r·K + c], and regOut = Σ θ² (f64) over these rows. scalars: [invN, l2] f64. g2 = 0: no second half.
  (func (export "assembleGrad")
    (param $dst i32) (param $g i32) (param $g2 i32) (param $theta i32) (param $rows i32) (param $K i32) (param $kp i32)
    (param $scalars i32) (param $regOut i32)
    (local $r i32) (local $i i32) (local $pairs i32) (local $gv v128) (local $t v128) (local $acc v128)
    (local $inv v128) (local $l2 v128) (local $reg f64) (local $gs f32) (local $ts f64)
    (local.set $inv (f64x2.splat (f64.load (local.get $scalars))))
    (local.set $l2 (f64x2.splat (f64.load offset=8 (local.get $scalars))))
    (local.set $pairs (i32.shl (i32.and (local.get $K) (i32.const -2)) (i32.const 3)))
    (block $rows_done
      (loop $rows_loop
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $pairs)))
            (local.set $gv (v128.load64_zero align=4 (i32.add (local.get $g) (i32.shr_u (local.get $i) (i32.const 1)))))
            (if (local.get $g2)
              (then (local.set $gv (f32x4.add (local.get $gv)
                (v128.load64_zero align=4 (i32.add (local.get $g2) (i32.shr_u (local.get $i) (i32.const 1))))))))
            (local.set $t (v128.load align=8 (i32.add (local.get $theta) (local.get $i))))
            (v128.store align=8 (i32.add (local.get $dst) (local.get $i))
              (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $gv)) (local.get $inv)) (f64x2.mul (local.get $l2) (local.get $t))))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $t) (local.get $t))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $l)))
        (if (i32.and (local.get $K) (i32.const 1))
          (then
            (local.set $gs (f32.load (i32.add (local.get $g) (i32.shr_u (local.get $i) (i32.const 1)))))
            (if (local.get $g2)
              (then (local.set $gs (f32.add (local.get $gs) (f32.load (i32.add (local.get $g2) (i32.shr_u (local.get $i) (i32.const 1))))))))
            (local.set $ts (f64.load (i32.add (local.get $theta) (local.get $i))))
            (f64.store (i32.add (local.get $dst) (local.get $i))
              (f64.add (f64.mul (f64.promote_f32 (local.get $gs)) (f64x2.extract_lane 0 (local.get $inv)))
                (f64.mul (f64x2.extract_lane 0 (local.get $l2)) (local.get $ts))))
            (local.set $reg (f64.add (local.get $reg) (f64.mul (local.get $ts) (local.get $ts))))))
        (local.set $theta (i32.add (local.get $theta) (i32.shl (local.get $K) (i32.const 3))))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $K) (i32.const 3))))
        (local.set $g (i32.add (local.get $g) (i32.shl (local.get $kp) (i32.const 2))))
        (if (local.get $g2) (then (local.set $g2 (i32.add (local.get $g2) (i32.shl (local.get $kp) (i32.const 2))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows_loop)))
    (f64.store (local.get $regOut)
      (f64.add (local.get $reg) (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))))
)
