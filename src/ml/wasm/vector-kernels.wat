;; L-BFGS's own vector work (src/ml/lbfgs.ts) in WebAssembly with 2-lane f64 SIMD: with millions of parameters
;; (n-gram columns × classes) the two-loop recursion and the line search make ~25 passes over θ-sized vectors per
;; iteration, which in JavaScript cost as much as the objective itself. The TypeScript loops in
;; src/ml/lbfgs-vectors.ts are the reference the tests compare against.
;; Build: `npm run build:wasm` (wabt) writes src/ml/wasm/vector-kernels-wasm.ts; a test checks the two agree.
;;
;; Every vector is f64 at a 16-byte-aligned byte offset into this module's memory; n counts elements. Pairs are
;; processed two lanes at a time and an odd last element on its own. Sums keep two partial lanes (added at the end),
;; so a dot product rounds differently from a sequential one — within the tests' tolerances.
(module
  ;; Shared and sized by the caller, so a helper thread (src/ml/row-kernel-thread.ts) can run the same loops on the
  ;; second half of every vector (lbfgs-vectors.ts).
  (import "env" "memory" (memory 1 65536 shared))

  ;; Σ a[i] · b[i]
  (func (export "dot") (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $i i32) (local $end i32) (local $s v128) (local $r f64)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $s (f64x2.add (local.get $s)
          (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $b) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (local.set $r (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (local.set $r (f64.add (local.get $r)
        (f64.mul (f64.load (i32.add (local.get $a) (local.get $end))) (f64.load (i32.add (local.get $b) (local.get $end))))))))
    (local.get $r))

  ;; y += a · x
  (func (export "axpy") (param $y i32) (param $x i32) (param $n i32) (param $a f64)
    (local $i i32) (local $end i32) (local $av v128)
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $y) (local.get $i))
          (f64x2.add (v128.load (i32.add (local.get $y) (local.get $i)))
            (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (i32.add (local.get $y) (local.get $end))
        (f64.add (f64.load (i32.add (local.get $y) (local.get $end)))
          (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $end)))))))))

  ;; y += a · x, returning u · y (the next two-loop step's dot fused into the same pass)
  (func (export "axpyDot") (param $y i32) (param $x i32) (param $u i32) (param $n i32) (param $a f64) (result f64)
    (local $i i32) (local $end i32) (local $av v128) (local $v v128) (local $s v128) (local $r f64) (local $w f64)
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $v (f64x2.add (v128.load (i32.add (local.get $y) (local.get $i)))
          (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $i))))))
        (v128.store (i32.add (local.get $y) (local.get $i)) (local.get $v))
        (local.set $s (f64x2.add (local.get $s) (f64x2.mul (local.get $v) (v128.load (i32.add (local.get $u) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (local.set $r (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $w (f64.add (f64.load (i32.add (local.get $y) (local.get $end)))
          (f64.mul (local.get $a) (f64.load (i32.add (local.get $x) (local.get $end))))))
        (f64.store (i32.add (local.get $y) (local.get $end)) (local.get $w))
        (local.set $r (f64.add (local.get $r) (f64.mul (local.get $w) (f64.load (i32.add (local.get $u) (local.get $end))))))))
    (local.get $r))

  ;; out = a · v   (out may be v)
  (func (export "scaledCopy") (param $out i32) (param $v i32) (param $n i32) (param $a f64)
    (local $i i32) (local $end i32) (local $av v128)
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $v) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (i32.add (local.get $out) (local.get $end))
        (f64.mul (local.get $a) (f64.load (i32.add (local.get $v) (local.get $end))))))))

  ;; out = x + t · d   (the line search's trial point)
  (func (export "addScaled") (param $out i32) (param $x i32) (param $d i32) (param $n i32) (param $t f64)
    (local $i i32) (local $end i32) (local $tv v128)
    (local.set $tv (f64x2.splat (local.get $t)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f64x2.add (v128.load (i32.add (local.get $x) (local.get $i)))
            (f64x2.mul (local.get $tv) (v128.load (i32.add (local.get $d) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (i32.add (local.get $out) (local.get $end))
        (f64.add (f64.load (i32.add (local.get $x) (local.get $end)))
          (f64.mul (local.get $t) (f64.load (i32.add (local.get $d) (local.get $end)))))))))

  ;; out = a − b
  (func (export "difference") (param $out i32) (param $a i32) (param $b i32) (param $n i32)
    (local $i i32) (local $end i32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f64x2.sub (v128.load (i32.add (local.get $a) (local.get $i))) (v128.load (i32.add (local.get $b) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (i32.add (local.get $out) (local.get $end))
        (f64.sub (f64.load (i32.add (local.get $a) (local.get $end))) (f64.load (i32.add (local.get $b) (local.get $end))))))))

  ;; max |a[i]|   (NaN propagates, as in the TypeScript reference it must not be hidden)
  (func (export "normInf") (param $a i32) (param $n i32) (result f64)
    (local $i i32) (local $end i32) (local $m v128) (local $r f64)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $m (f64x2.max (local.get $m) (f64x2.abs (v128.load (i32.add (local.get $a) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (local.set $r (f64.max (f64x2.extract_lane 0 (local.get $m)) (f64x2.extract_lane 1 (local.get $m))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (local.set $r (f64.max (local.get $r) (f64.abs (f64.load (i32.add (local.get $a) (local.get $end))))))))
    (local.get $r))
;; s = xNew − x, y = gNew − g; returns s · y, y · y and max |gNew| (the end of an L-BFGS iteration in one pass instead of
  ;; five). Each sum and the max keep the lanes and order of dot and normInf, so the results are theirs to the bit.
  (func (export "stepPair") (param $s i32) (param $y i32) (param $xNew i32) (param $x i32) (param $gNew i32) (param $g i32) (param $n i32)
    (result f64 f64 f64)
    (local $i i32) (local $end i32) (local $sv v128) (local $yv v128) (local $gv v128) (local $sy v128) (local $yy v128) (local $m v128)
    (local $a f64) (local $b f64) (local $c f64) (local $h f64)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $gNew) (local.get $i))))
        (local.set $sv (f64x2.sub (v128.load (i32.add (local.get $xNew) (local.get $i))) (v128.load (i32.add (local.get $x) (local.get $i)))))
        (local.set $yv (f64x2.sub (local.get $gv) (v128.load (i32.add (local.get $g) (local.get $i)))))
        (v128.store (i32.add (local.get $s) (local.get $i)) (local.get $sv))
        (v128.store (i32.add (local.get $y) (local.get $i)) (local.get $yv))
        (local.set $sy (f64x2.add (local.get $sy) (f64x2.mul (local.get $sv) (local.get $yv))))
        (local.set $yy (f64x2.add (local.get $yy) (f64x2.mul (local.get $yv) (local.get $yv))))
        (local.set $m (f64x2.max (local.get $m) (f64x2.abs (local.get $gv))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (local.set $a (f64.add (f64x2.extract_lane 0 (local.get $sy)) (f64x2.extract_lane 1 (local.get $sy))))
    (local.set $b (f64.add (f64x2.extract_lane 0 (local.get $yy)) (f64x2.extract_lane 1 (local.get $yy))))
    (local.set $c (f64.max (f64x2.extract_lane 0 (local.get $m)) (f64x2.extract_lane 1 (local.get $m))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $h (f64.load (i32.add (local.get $gNew) (local.get $end))))
        (local.set $c (f64.max (local.get $c) (f64.abs (local.get $h))))
        (local.set $h (f64.sub (local.get $h) (f64.load (i32.add (local.get $g) (local.get $end)))))
        (f64.store (i32.add (local.get $y) (local.get $end)) (local.get $h))
        (local.set $b (f64.add (local.get $b) (f64.mul (local.get $h) (local.get $h))))
        (local.set $h (f64.sub (f64.load (i32.add (local.get $xNew) (local.get $end))) (f64.load (i32.add (local.get $x) (local.get $end)))))
        (f64.store (i32.add (local.get $s) (local.get $end)) (local.get $h))
        (local.set $a (f64.add (local.get $a) (f64.mul (local.get $h) (f64.load (i32.add (local.get $y) (local.get $end))))))))
    (local.get $a) (local.get $b) (local.get $c))

  ;; v[i] = (v[i] · c_i) · γ with c_i = s[r] for element i in row r of the block [off, off + rows·w), 1 elsewhere;
  ;; returns a · b and b · v (after the update). scaleRows then scaledCopy then two dots in one pass: the products and
  ;; each sum's lanes and order are theirs (pairs of elements from index 0, as dot), so the results are the same bits.
  ;; A pair may straddle a row boundary: the state ($bnd the next boundary, $ri the row it starts) moves one element
  ;; at a time.
  (func (export "scaleRowsDots")
    (param $v i32) (param $a i32) (param $b i32) (param $n i32) (param $off i32) (param $s i32) (param $rows i32)
    (param $w i32) (param $gamma f64) (result f64 f64)
    (local $i i32) (local $e i32) (local $end i32) (local $bnd i32) (local $ri i32) (local $cur f64) (local $c0 f64)
    (local $gv v128) (local $sv v128) (local $nv v128) (local $bv v128) (local $ab v128) (local $bn v128)
    (local $x f64) (local $y f64) (local $z f64)
    (local.set $gv (f64x2.splat (local.get $gamma)))
    (local.set $cur (f64.const 1))
    (local.set $bnd (if (result i32) (i32.gt_u (local.get $rows) (i32.const 0)) (then (local.get $off)) (else (i32.const -1))))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $e (i32.shr_u (local.get $i) (i32.const 3)))
        (block $in
          (loop $adv
            (br_if $in (i32.lt_u (local.get $e) (local.get $bnd)))
            (if (i32.lt_u (local.get $ri) (local.get $rows))
              (then
                (local.set $cur (f64.load (i32.add (local.get $s) (i32.shl (local.get $ri) (i32.const 3)))))
                (local.set $ri (i32.add (local.get $ri) (i32.const 1)))
                (local.set $bnd (i32.add (local.get $bnd) (local.get $w))))
              (else (local.set $cur (f64.const 1)) (local.set $bnd (i32.const -1))))
            (br $adv)))
        (local.set $c0 (local.get $cur))
        (if (i32.ge_u (i32.add (local.get $e) (i32.const 1)) (local.get $bnd)) (then (if (i32.lt_u (local.get $ri) (local.get $rows))
              (then
                (local.set $cur (f64.load (i32.add (local.get $s) (i32.shl (local.get $ri) (i32.const 3)))))
                (local.set $ri (i32.add (local.get $ri) (i32.const 1)))
                (local.set $bnd (i32.add (local.get $bnd) (local.get $w))))
              (else (local.set $cur (f64.const 1)) (local.set $bnd (i32.const -1))))))
        (local.set $sv (f64x2.replace_lane 1 (f64x2.splat (local.get $c0)) (local.get $cur)))
        (local.set $nv (f64x2.mul (f64x2.mul (v128.load (i32.add (local.get $v) (local.get $i))) (local.get $sv)) (local.get $gv)))
        (v128.store (i32.add (local.get $v) (local.get $i)) (local.get $nv))
        (local.set $bv (v128.load (i32.add (local.get $b) (local.get $i))))
        (local.set $ab (f64x2.add (local.get $ab) (f64x2.mul (v128.load (i32.add (local.get $a) (local.get $i))) (local.get $bv))))
        (local.set $bn (f64x2.add (local.get $bn) (f64x2.mul (local.get $bv) (local.get $nv))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (local.set $x (f64.add (f64x2.extract_lane 0 (local.get $ab)) (f64x2.extract_lane 1 (local.get $ab))))
    (local.set $y (f64.add (f64x2.extract_lane 0 (local.get $bn)) (f64x2.extract_lane 1 (local.get $bn))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $e (i32.shr_u (local.get $end) (i32.const 3)))
        (block $in2
          (loop $adv2
            (br_if $in2 (i32.lt_u (local.get $e) (local.get $bnd)))
            (if (i32.lt_u (local.get $ri) (local.get $rows))
              (then
                (local.set $cur (f64.load (i32.add (local.get $s) (i32.shl (local.get $ri) (i32.const 3)))))
                (local.set $ri (i32.add (local.get $ri) (i32.const 1)))
                (local.set $bnd (i32.add (local.get $bnd) (local.get $w))))
              (else (local.set $cur (f64.const 1)) (local.set $bnd (i32.const -1))))
            (br $adv2)))
        (local.set $z (f64.mul (f64.mul (f64.load (i32.add (local.get $v) (local.get $end))) (local.get $cur)) (local.get $gamma)))
        (f64.store (i32.add (local.get $v) (local.get $end)) (local.get $z))
        (local.set $x (f64.add (local.get $x)
          (f64.mul (f64.load (i32.add (local.get $a) (local.get $end))) (f64.load (i32.add (local.get $b) (local.get $end))))))
        (local.set $y (f64.add (local.get $y) (f64.mul (f64.load (i32.add (local.get $b) (local.get $end))) (local.get $z))))))
    (local.get $x) (local.get $y))

  ;; out = a · v, returning u · out (the two-loop recursion's start and its first dot in one pass; dot's lanes and order)
  (func (export "scaledCopyDot") (param $out i32) (param $v i32) (param $u i32) (param $n i32) (param $a f64) (result f64)
    (local $i i32) (local $end i32) (local $av v128) (local $x v128) (local $s v128) (local $r f64) (local $w f64)
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $x (f64x2.mul (local.get $av) (v128.load (i32.add (local.get $v) (local.get $i)))))
        (v128.store (i32.add (local.get $out) (local.get $i)) (local.get $x))
        (local.set $s (f64x2.add (local.get $s) (f64x2.mul (v128.load (i32.add (local.get $u) (local.get $i))) (local.get $x))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $l)))
    (local.set $r (f64.add (f64x2.extract_lane 0 (local.get $s)) (f64x2.extract_lane 1 (local.get $s))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $w (f64.mul (local.get $a) (f64.load (i32.add (local.get $v) (local.get $end)))))
        (f64.store (i32.add (local.get $out) (local.get $end)) (local.get $w))
        (local.set $r (f64.add (local.get $r) (f64.mul (f64.load (i32.add (local.get $u) (local.get $end))) (local.get $w))))))
    (local.get $r))

  ;; v[r·w + k] *= s[r] for r < rows, k < w: the diagonal part of a preconditioner over a block of θ stored row by
  ;; row (the hybrid's n-gram columns × classes), one scale per row. v may start at any 8-byte-aligned address (the
  ;; block's offset in θ), and w may be odd: pairs within each row, then the row's odd last element.
  (func (export "scaleRows") (param $v i32) (param $s i32) (param $rows i32) (param $w i32)
    (local $r i32) (local $i i32) (local $row i32) (local $end i32) (local $sv v128) (local $sc f64)
    (local.set $row (local.get $v))
    (local.set $end (i32.shl (i32.and (local.get $w) (i32.const -2)) (i32.const 3)))
    (block $rowsDone
      (loop $rl
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $sc (f64.load (i32.add (local.get $s) (i32.shl (local.get $r) (i32.const 3)))))
        (local.set $sv (f64x2.splat (local.get $sc)))
        (local.set $i (i32.const 0))
        (block $done
          (loop $l
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (v128.store align=8 (i32.add (local.get $row) (local.get $i))
              (f64x2.mul (local.get $sv) (v128.load align=8 (i32.add (local.get $row) (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $l)))
        (if (i32.and (local.get $w) (i32.const 1))
          (then (f64.store (i32.add (local.get $row) (local.get $end))
            (f64.mul (local.get $sc) (f64.load (i32.add (local.get $row) (local.get $end)))))))
        (local.set $row (i32.add (local.get $row) (i32.shl (local.get $w) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rl)))
    )
)
