// IEEE 754 half floats for compact storage (Node 20 has neither Float16Array nor Math.f16round).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Float32 → half-float bits, rounding to nearest even; overflow → ±Infinity, underflow → subnormals / ±0. */
export function float32ToFloat16Bits(a: Float32Array): Uint16Array {
  const out = new Uint16Array(a.length);
  for (let i = 0; i < a.length; i++) {
    f32[0] = a[i]!;
    const x = u32[0]!;
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      let h = mant >>> shift;
      const rem = mant & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rem > half || (rem === half && h & 1)) h++;
      out[i] = sign | h;
      continue;
    }
    let h = (e << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++; // a carry into the exponent is still correct (up to Infinity)
    out[i] = sign | h;
  }
  return out;
}

/** Half-float bits → Float32 (exact). */
export function float16BitsToFloat32(b: Uint16Array): Float32Array {
  const out = new Float32Array(b.length);
  for (let i = 0; i < b.length; i++) {
    const h = b[i]!;
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) out[i] = sign * mant * 2 ** -24;
    else if (exp === 0x1f) out[i] = mant ? NaN : sign * Infinity;
    else out[i] = sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  return out;
}

/** Rounds each value to the nearest half float, in place (weights that will be stored as float16). */
export function roundToFloat16InPlace(a: Float32Array): Float32Array {
  a.set(float16BitsToFloat32(float32ToFloat16Bits(a)));
  return a;
}
