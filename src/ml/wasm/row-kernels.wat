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
  (func (export "forward")
    (param $n i32) (param $d i32) (param $kp i32)
    (param $x i32) (param $indptr i32) (param $cols i32) (param $vals i32)
    (param $theta i32) (param $bias i32) (param $z i32)
    (local $i i32) (local $row i32) (local $zrow i32) (local $xp i32) (local $xend i32)
    (local $t i32) (local $p i32) (local $pend i32) (local $k i32) (local $v v128)
    (local.set $row (i32.shl (local.get $kp) (i32.const 2)))
    (local.set $xp (local.get $x))
    (local.set $zrow (local.get $z))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
        (memory.copy (local.get $zrow) (local.get $bias) (local.get $row))
        ;; dense block: θ row j for feature j
        (local.set $t (local.get $theta))
        (local.set $xend (i32.add (local.get $xp) (i32.shl (local.get $d) (i32.const 2))))
        (block $dense_done
          (loop $dense
            (br_if $dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
            (local.set $v (f32x4.splat (f32.load (local.get $xp))))
            (local.set $k (i32.const 0))
            (loop $axpy
              (v128.store (i32.add (local.get $zrow) (local.get $k))
                (f32x4.add
                  (v128.load (i32.add (local.get $zrow) (local.get $k)))
                  (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $t) (local.get $k))))))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br_if $axpy (i32.lt_u (local.get $k) (local.get $row))))
            (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
            (local.set $t (i32.add (local.get $t) (local.get $row)))
            (br $dense)))
        ;; sparse block
        (local.set $p (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $pend (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
        (block $sparse_done
          (loop $sparse
            (br_if $sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
            (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
            (local.set $t (i32.add (local.get $theta)
              (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
            (local.set $k (i32.const 0))
            (loop $axpy
              (v128.store (i32.add (local.get $zrow) (local.get $k))
                (f32x4.add
                  (v128.load (i32.add (local.get $zrow) (local.get $k)))
                  (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $t) (local.get $k))))))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br_if $axpy (i32.lt_u (local.get $k) (local.get $row))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $sparse)))
        (local.set $zrow (i32.add (local.get $zrow) (local.get $row)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; grad[j, :] += x[i, j] · r[i, :] and grad[cols[p], :] += vals[p] · r[i, :]   for i in [0, n)
  (func (export "backward")
    (param $n i32) (param $d i32) (param $kp i32)
    (param $x i32) (param $indptr i32) (param $cols i32) (param $vals i32)
    (param $r i32) (param $grad i32)
    (local $i i32) (local $row i32) (local $rrow i32) (local $xp i32) (local $xend i32)
    (local $g i32) (local $p i32) (local $pend i32) (local $k i32) (local $v v128)
    (local.set $row (i32.shl (local.get $kp) (i32.const 2)))
    (local.set $xp (local.get $x))
    (local.set $rrow (local.get $r))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $g (local.get $grad))
        (local.set $xend (i32.add (local.get $xp) (i32.shl (local.get $d) (i32.const 2))))
        (block $dense_done
          (loop $dense
            (br_if $dense_done (i32.ge_u (local.get $xp) (local.get $xend)))
            (local.set $v (f32x4.splat (f32.load (local.get $xp))))
            (local.set $k (i32.const 0))
            (loop $axpy
              (v128.store (i32.add (local.get $g) (local.get $k))
                (f32x4.add
                  (v128.load (i32.add (local.get $g) (local.get $k)))
                  (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $rrow) (local.get $k))))))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br_if $axpy (i32.lt_u (local.get $k) (local.get $row))))
            (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
            (local.set $g (i32.add (local.get $g) (local.get $row)))
            (br $dense)))
        (local.set $p (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $pend (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $i) (i32.const 2)))))
        (block $sparse_done
          (loop $sparse
            (br_if $sparse_done (i32.ge_u (local.get $p) (local.get $pend)))
            (local.set $v (f32x4.splat (f32.load (i32.add (local.get $vals) (i32.shl (local.get $p) (i32.const 2))))))
            (local.set $g (i32.add (local.get $grad)
              (i32.mul (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))) (local.get $row))))
            (local.set $k (i32.const 0))
            (loop $axpy
              (v128.store (i32.add (local.get $g) (local.get $k))
                (f32x4.add
                  (v128.load (i32.add (local.get $g) (local.get $k)))
                  (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $rrow) (local.get $k))))))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br_if $axpy (i32.lt_u (local.get $k) (local.get $row))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $sparse)))
        (local.set $rrow (i32.add (local.get $rrow) (local.get $row)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
