/*
 * Elementary functions written so that a compiler vectorises the loops that call them.
 *
 * Why not libm: a call to exp() or log1p() in a loop is a scalar call per element
 * (5-10 ns), several times the cost of reading the element from memory.  These
 * versions are branch-free straight-line arithmetic on one element: range reduction,
 * a polynomial and a scaling by a power of two built from the exponent bits, so that
 * `#pragma omp simd` turns a loop over them into AVX2 / AVX-512 code.
 *
 * Accuracy: about 1 ulp (checked against float64/mpmath references in the tests).
 * Limits are exact: exp underflows gradually through the subnormals to +0 (the
 * scaling by 2^n is done in two steps so the subnormal result is rounded once), and
 * exp(-inf) = 0.  The exp functions are meant for x <= 0, which is all the losses
 * need (z - max, -|z|), and may turn a NaN into 0 (callers test for NaN); log1p is
 * meant for a >= 0 and propagates NaN.
 */
#ifndef XE_CKERNELS_MATH_H
#define XE_CKERNELS_MATH_H

#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define XE_INLINE static inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define XE_INLINE static __forceinline
#else
#define XE_INLINE static inline
#endif

XE_INLINE uint64_t xe_bits_d(double x) { uint64_t u; memcpy(&u, &x, sizeof u); return u; }
XE_INLINE double xe_double(uint64_t u) { double x; memcpy(&x, &u, sizeof x); return x; }
XE_INLINE uint32_t xe_bits_f(float x) { uint32_t u; memcpy(&u, &x, sizeof u); return u; }
XE_INLINE float xe_float(uint32_t u) { float x; memcpy(&x, &u, sizeof x); return x; }

/*
 * The clamp max(x, lo) for lo < 0, without a branch and without a floating-point
 * comparison (which compilers may turn into a branch around the whole polynomial,
 * which then does not vectorise): for x <= -0 the unsigned bit pattern grows with
 * |x|, so an unsigned minimum clamps, -inf included; x >= +0 passes through.  A NaN
 * may come out as lo: the callers detect NaN separately.
 */
XE_INLINE uint64_t xe_umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
XE_INLINE uint32_t xe_umin32(uint32_t a, uint32_t b) { return a < b ? a : b; }

/*
 * exp(x) for x <= 0, float64.  x = n ln2 + r with |r| <= ln2/2 (ln2 split in two so
 * that n * ln2_hi is exact), exp(r) by its Taylor series to degree 13 (the first
 * omitted term is < 4.2e-18 relative: 0.04 ulp), then times 2^n as 2^nh * 2^nl, each
 * factor normal, so that a subnormal result is rounded only once.
 */
XE_INLINE double xe_exp_d(double x)
{
    const double shift = 0x1.8p52; /* adding it rounds to an integer in the low bits */
    x = xe_double(xe_umin64(xe_bits_d(x), 0xc087500000000000ULL)); /* max(x, -746) */
    double n = (x * 0x1.71547652b82fep0 + shift) - shift;
    double r = x - n * 0x1.62e42fee00000p-1; /* ln2_hi: 21 trailing zero bits */
    r = r - n * 0x1.a39ef35793c76p-33;       /* ln2_lo */
    double p = 1.0 / 6227020800.0;
    p = p * r + 1.0 / 479001600.0;
    p = p * r + 1.0 / 39916800.0;
    p = p * r + 1.0 / 3628800.0;
    p = p * r + 1.0 / 362880.0;
    p = p * r + 1.0 / 40320.0;
    p = p * r + 1.0 / 5040.0;
    p = p * r + 1.0 / 720.0;
    p = p * r + 1.0 / 120.0;
    p = p * r + 1.0 / 24.0;
    p = p * r + 1.0 / 6.0;
    p = p * r + 0.5;
    p = p * r + 1.0;
    p = p * r + 1.0;
    double nh = (n * 0.5 + shift) - shift; /* n = nh + nl with nh, nl >= -538 */
    double nl = n - nh;
    /* (v + shift + 1023) holds v + 1023 in its low mantissa bits; << 52 moves them into
     * the exponent field and drops the rest. */
    double s1 = xe_double(xe_bits_d(nh + (shift + 1023.0)) << 52);
    double s2 = xe_double(xe_bits_d(nl + (shift + 1023.0)) << 52);
    return (p * s1) * s2;
}

/* exp(x) for x <= 0, float32: the same scheme, Taylor to degree 7 (first omitted term
 * 7.5e-9 relative: 0.06 ulp), ln2 split as in Cephes. */
XE_INLINE float xe_exp_f(float x)
{
    const float shift = 0x1.8p23f;
    x = xe_float(xe_umin32(xe_bits_f(x), 0xc2d20000u)); /* max(x, -105) */
    float n = (x * 0x1.715476p0f + shift) - shift;
    float r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    float nh = (n * 0.5f + shift) - shift; /* nh, nl >= -76 */
    float nl = n - nh;
    float s1 = xe_float(xe_bits_f(nh + (shift + 127.0f)) << 23);
    float s2 = xe_float(xe_bits_f(nl + (shift + 127.0f)) << 23);
    return (p * s1) * s2;
}

/*
 * log1p(a) for a >= 0 (finite), float64.  u = 1 + a rounded, c = the exact rounding
 * error of that sum (Fast2Sum, with the larger operand first), then
 * log1p(a) = log(u) + c / u, with log(u) as in fdlibm/musl: u = 2^k f,
 * f in [sqrt(2)/2, sqrt(2)), log f = f1 - hfsq + s (hfsq + R(s^2)), s = f1 / (2 + f1).
 * Tiny a gives u = 1, k = 0, f1 = 0 and the result c / u = a: full relative precision.
 */
XE_INLINE double xe_log1p_d(double a)
{
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                 Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                 Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                 Lg7 = 1.479819860511658591e-01;
    double u = 1.0 + a;
    double c = a >= 1.0 ? 1.0 - (u - a) : a - (u - 1.0);
    c = c / u;
    uint64_t ix = xe_bits_d(u) + ((uint64_t)(0x3ff00000 - 0x3fe6a09e) << 32);
    /* the biased exponent as a double, without an int64 -> double conversion */
    double k = xe_double((ix >> 52) | 0x4330000000000000ULL) - (0x1p52 + 1023.0);
    ix = (ix & 0x000fffffffffffffULL) + 0x3fe6a09e00000000ULL;
    double f = xe_double(ix) - 1.0;
    double hfsq = 0.5 * f * f;
    double s = f / (2.0 + f);
    double z = s * s;
    double w = z * z;
    double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    double R = t2 + t1;
    return s * (hfsq + R) + (k * ln2_lo + c) - hfsq + f + k * ln2_hi;
}

/* log1p(a) for a >= 0 (finite), float32: the same with musl's logf coefficients. */
XE_INLINE float xe_log1p_f(float a)
{
    const float ln2_hi = 6.9313812256e-01f, ln2_lo = 9.0580006145e-06f;
    const float Lg1 = 0.66666662693f, Lg2 = 0.40000972152f, Lg3 = 0.28498786688f,
                Lg4 = 0.24279078841f;
    float u = 1.0f + a;
    float c = a >= 1.0f ? 1.0f - (u - a) : a - (u - 1.0f);
    c = c / u;
    uint32_t ix = xe_bits_f(u) + (0x3f800000u - 0x3f3504f3u);
    float k = xe_float((ix >> 23) | 0x4b000000u) - (0x1p23f + 127.0f);
    ix = (ix & 0x007fffffu) + 0x3f3504f3u;
    float f = xe_float(ix) - 1.0f;
    float s = f / (2.0f + f);
    float z = s * s;
    float w = z * z;
    float t1 = w * (Lg2 + w * Lg4);
    float t2 = z * (Lg1 + w * Lg3);
    float R = t2 + t1;
    float hfsq = 0.5f * f * f;
    return s * (hfsq + R) + (k * ln2_lo + c) - hfsq + f + k * ln2_hi;
}

#endif /* XE_CKERNELS_MATH_H */
