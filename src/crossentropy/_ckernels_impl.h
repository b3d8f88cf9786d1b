/*
 * Loss kernels for one floating type, included by _ckernels.c once with T = float and
 * once with T = double (see the macros defined there: T, SUF, XE_EXP, XE_LOG1P).
 *
 * Softmax cross-entropy, one row z of K logits with label y:
 *   m = max_c z_c, rest = sum over all classes but one maximal one of exp(z_c - m),
 *   loss = w_y * ((m - z_y) + log1p(rest)),
 *   grad = w_y * sw * (exp(z - m) / (1 + rest) - onehot(y)),
 * with the true-class entry -rest / (1 + rest) when z_y is maximal, the forms of the
 * exact NumPy implementation (losses/_classification.py).  Ties at the maximum count
 * 1 each in rest, as there.  Each row is read from memory once: the max sweep brings it
 * into cache and the exp sweep (which also stores exp(z - m) into the gradient row,
 * then scaled in place) reads it from there.
 */

#define XE_CAT_(a, b) a##_##b
#define XE_CAT(a, b) XE_CAT_(a, b)
#define XE_FN(name) XE_CAT(name, SUF)

/* Wide rows (K >= XE_WIDE_K): vector loops along the row. */
XE_CLONES static int XE_FN(xent_wide)(const xent_args *A, int64_t r0, int64_t r1,
                                      double *total_out)
{
    const int64_t K = A->k;
    const T *cw = (const T *)A->cw;
    double total = 0.0;
    for (int64_t r = r0; r < r1; ++r) {
        const T *z = (const T *)(A->z + r * A->zstride);
        T *g = A->grad ? (T *)(A->grad + r * A->gstride) : NULL;
        const int64_t y = A->labels[r];
        if (y < 0 || y >= K) return XE_ERR_LABEL;
        T m = -(T)INFINITY, nan = 0;
#pragma omp simd reduction(max : m) reduction(+ : nan)
        for (int64_t j = 0; j < K; ++j) {
            T v = z[j];
            m = m < v ? v : m;
            nan += v != v ? (T)1 : (T)0;
        }
        if (nan != 0) return XE_ERR_NAN;
        if (m == (T)INFINITY) return XE_ERR_POSINF;
        if (m == -(T)INFINITY) return XE_ERR_ALLNEGINF;
        const T zy = z[y]; /* read before g (possibly z itself) is written */
        double s = 0.0, c = 0.0;
        /* Partial sums over blocks of XE_SUM_BLOCK terms, each in T, then in double:
         * in float32 a vector lane adds at most 1024 / (lanes) terms before rounding
         * into double, so the sum stays within a few ulps however large K is. */
        for (int64_t j0 = 0; j0 < K; j0 += XE_SUM_BLOCK) {
            const int64_t j1 = K - j0 < XE_SUM_BLOCK ? K : j0 + XE_SUM_BLOCK;
            T sb = 0, cb = 0;
            if (g) {
#pragma omp simd reduction(+ : sb, cb)
                for (int64_t j = j0; j < j1; ++j) {
                    T d = z[j] - m;
                    T e = XE_EXP(d);
                    g[j] = e;
                    sb += d == 0 ? (T)0 : e;
                    cb += d == 0 ? (T)1 : (T)0;
                }
            } else {
#pragma omp simd reduction(+ : sb, cb)
                for (int64_t j = j0; j < j1; ++j) {
                    T d = z[j] - m;
                    T e = XE_EXP(d);
                    sb += d == 0 ? (T)0 : e;
                    cb += d == 0 ? (T)1 : (T)0;
                }
            }
            s += (double)sb;
            c += (double)cb;
        }
        const double rest = s + (c - 1.0);
        const T gap = m - zy;
        const double w = cw ? (double)cw[y] : 1.0;
        const double loss = w == 0.0 ? 0.0 : w * ((double)gap + xe_log1p_d(rest));
        const double sw = (A->sw ? A->sw[r] : 1.0) * A->scale;
        if (A->loss) ((T *)A->loss)[r] = (T)loss;
        if (sw != 0.0) total += sw * loss;
        if (g) {
            const double ws = w * sw, inv = 1.0 / (1.0 + rest);
            const T ey = g[y];
            const T f = (T)(ws * inv);
#pragma omp simd
            for (int64_t j = 0; j < K; ++j) g[j] *= f;
            g[y] = (T)(gap == 0 ? -(ws * (rest * inv)) : ws * ((double)ey * inv - 1.0));
        }
    }
    *total_out = total;
    return 0;
}

/* Narrow rows (K < XE_WIDE_K): XE_LANES rows at a time, transposed into a small
 * buffer (class-major), so that every step -- max, exp, sums, log1p, loss -- is one
 * vector operation across the rows.  Lanes past the last row repeat it. */
XE_CLONES static int XE_FN(xent_narrow)(const xent_args *A, int64_t r0, int64_t r1,
                                        double *total_out)
{
    enum { L = XE_LANES };
    const int64_t K = A->k;
    const T *cw = (const T *)A->cw;
    T db[XE_WIDE_K * L], eb[XE_WIDE_K * L]; /* z - max, then exp(z - max) */
    double total = 0.0;
    for (int64_t b0 = r0; b0 < r1; b0 += L) {
        const int64_t nb = r1 - b0 < L ? r1 - b0 : L;
        int64_t yl[L];
        T zy[L], w[L], m[L], s[L], c[L];
        double sw[L], loss[L], ws[L], inv[L], rest[L];
        const char *zrow[L];
        for (int i = 0; i < L; ++i) {
            const int64_t r = b0 + (i < nb ? i : nb - 1);
            const int64_t y = A->labels[r];
            if (y < 0 || y >= K) return XE_ERR_LABEL;
            zrow[i] = A->z + r * A->zstride;
            yl[i] = y;
            zy[i] = ((const T *)zrow[i])[y];
            w[i] = cw ? cw[y] : (T)1;
            sw[i] = (A->sw ? A->sw[r] : 1.0) * A->scale;
        }
        for (int64_t j = 0; j < K; ++j)
            for (int i = 0; i < L; ++i) db[j * L + i] = ((const T *)zrow[i])[j];
        for (int i = 0; i < L; ++i) m[i] = -(T)INFINITY, s[i] = 0, c[i] = 0;
        for (int64_t j = 0; j < K; ++j) {
#pragma omp simd
            for (int i = 0; i < L; ++i) {
                T v = db[j * L + i];
                m[i] = m[i] < v ? v : m[i];
                c[i] += v != v ? (T)1 : (T)0; /* NaN count, reset below */
            }
        }
        for (int i = 0; i < L; ++i) {
            if (c[i] != 0) return XE_ERR_NAN;
            if (m[i] == (T)INFINITY) return XE_ERR_POSINF;
            if (m[i] == -(T)INFINITY) return XE_ERR_ALLNEGINF;
            c[i] = 0;
        }
        for (int64_t j = 0; j < K; ++j) {
#pragma omp simd
            for (int i = 0; i < L; ++i) db[j * L + i] -= m[i];
        }
        /* one flat loop for the exponentials: the shape the vectoriser handles best */
        const int64_t len = K * L;
#pragma omp simd
        for (int64_t t = 0; t < len; ++t) eb[t] = XE_EXP(db[t]);
        for (int64_t j = 0; j < K; ++j) {
#pragma omp simd
            for (int i = 0; i < L; ++i) {
                const T d = db[j * L + i];
                s[i] += d == 0 ? (T)0 : eb[j * L + i];
                c[i] += d == 0 ? (T)1 : (T)0;
            }
        }
        double gap[L], wd[L];
        for (int i = 0; i < L; ++i) {
            rest[i] = (double)s[i] + ((double)c[i] - 1.0);
            gap[i] = (double)(m[i] - zy[i]);
            wd[i] = (double)w[i];
        }
        /* Loops on doubles only, and log1p on its own: mixed float/double lanes, or a
         * select around the log1p, can keep the compiler from vectorising. */
#pragma omp simd
        for (int i = 0; i < L; ++i) loss[i] = xe_log1p_d(rest[i]);
#pragma omp simd
        for (int i = 0; i < L; ++i) {
            const double ri = rest[i], wi = wd[i];
            loss[i] = wi == 0.0 ? 0.0 : wi * (gap[i] + loss[i]);
            ws[i] = wi * sw[i];
            inv[i] = 1.0 / (1.0 + ri);
        }
        if (A->loss)
            for (int i = 0; i < nb; ++i) ((T *)A->loss)[b0 + i] = (T)loss[i];
        for (int i = 0; i < nb; ++i)
            if (sw[i] != 0.0) total += sw[i] * loss[i];
        if (A->grad) {
            for (int i = 0; i < nb; ++i) {
                T *g = (T *)(A->grad + (b0 + i) * A->gstride);
                const T fi = (T)(ws[i] * inv[i]);
                for (int64_t j = 0; j < K; ++j) g[j] = eb[j * L + i] * fi;
                const int64_t y = yl[i];
                const double ey = (double)eb[y * L + i];
                g[y] = (T)(m[i] == zy[i] ? -(ws[i] * (rest[i] * inv[i]))
                                         : ws[i] * (ey * inv[i] - 1.0));
            }
        }
    }
    *total_out = total;
    return 0;
}

/* Targets of type CT converted to T, counting those outside [0, 1] (NaN included);
 * `&` rather than `&&` keeps the loop free of branches, so it vectorises. */
#define XE_LOAD_CASE(CODE, CT)                                \
    case CODE: {                                              \
        const CT *s = (const CT *)y + b0;                     \
        _Pragma("omp simd reduction(+ : bad)")                \
        for (int64_t t = 0; t < len; ++t) {                   \
            const CT v = s[t];                                \
            bad += ((v >= 0) & (v <= 1)) ? 0 : 1;             \
            out[t] = (T)v;                                    \
        }                                                     \
        break;                                                \
    }

/* Targets y[b0 : b0 + len] as T in out; nonzero if one is outside [0, 1] or NaN. */
XE_INLINE int XE_FN(load_targets)(const void *y, int ytype, int64_t b0, int64_t len, T *out)
{
    int bad = 0;
    switch (ytype) {
        XE_LOAD_CASE(XE_Y_F32, float)
        XE_LOAD_CASE(XE_Y_F64, double)
        XE_LOAD_CASE(XE_Y_U8, uint8_t)
        XE_LOAD_CASE(XE_Y_I8, int8_t)
        XE_LOAD_CASE(XE_Y_I32, int32_t)
        XE_LOAD_CASE(XE_Y_I64, int64_t)
        default: bad = 1;
    }
    return bad;
}
#undef XE_LOAD_CASE

/* wy softplus(-z) + (1 - y) softplus(z) from a = exp(-|z|), each term only if its
 * weight is positive */
XE_INLINE T XE_FN(bce_loss)(T zz, T yy, T wy, T a)
{
    const T tail = XE_LOG1P(a);
    const T sp_pos = (zz > 0 ? zz : (T)0) + tail, sp_neg = (zz < 0 ? -zz : (T)0) + tail;
    return (wy > 0 ? wy * sp_neg : (T)0) + (yy < 1 ? (1 - yy) * sp_pos : (T)0);
}

/* Binary cross-entropy from logits, elementwise over [i0, i1):
 *   loss = wy softplus(-z) + (1 - y) softplus(z), wy = pos_weight * y,
 *   grad = (1 - y) sigma(z) - wy sigma(-z),
 * with softplus(+-z) = max(+-z, 0) + log1p(exp(-|z|)) and a term of weight 0 absent
 * (0, not 0 * inf = NaN), as in the exact implementation.  Targets are converted to T
 * (and checked to lie in [0, 1]) a block at a time; a pos_weight vector of length P
 * repeats along the flat array, so blocks start at multiples of P. */
XE_CLONES static int XE_FN(bce_range)(const bce_args *A, int64_t i0, int64_t i1)
{
    const T *zall = (const T *)A->z;
    const int64_t P = A->p;
    const int64_t L = P >= XE_BLOCK ? P : P * (XE_BLOCK / P);
    T ybuf_stack[XE_BLOCK], wbuf_stack[XE_BLOCK];
    T *ybuf = ybuf_stack, *wbuf = wbuf_stack;
    int err = 0;
    if (L > XE_BLOCK) {
        ybuf = (T *)malloc((size_t)L * sizeof(T));
        wbuf = (T *)malloc((size_t)L * sizeof(T));
        if (!ybuf || !wbuf) {
            free(ybuf);
            free(wbuf);
            return XE_ERR_NOMEM;
        }
    }
    if (A->pw) {
        const T *pw = (const T *)A->pw;
        for (int64_t t = 0; t < L; ++t) wbuf[t] = pw[t % P];
    } else {
        for (int64_t t = 0; t < L; ++t) wbuf[t] = 1;
    }
    for (int64_t b0 = i0; b0 < i1 && !err; b0 += L) {
        const int64_t len = i1 - b0 < L ? i1 - b0 : L;
        if (XE_FN(load_targets)(A->y, A->ytype, b0, len, ybuf)) {
            err = XE_ERR_TARGET;
            break;
        }
        const T *z = zall + b0;
        T *lo = (T *)A->loss + b0;
        T *g = A->grad ? (T *)A->grad + b0 : NULL;
        T bad = 0;
        /* z is read into a register before lo[t] and g[t] are written: either may be z. */
        if (g) {
#pragma omp simd reduction(+ : bad)
            for (int64_t t = 0; t < len; ++t) {
                const T zz = z[t], yy = ybuf[t], wy = wbuf[t] * yy;
                const T a = XE_EXP(zz < 0 ? zz : -zz); /* exp(-|z|) */
                const T big = 1 / (1 + a), small = a / (1 + a);
                const T s_pos = zz >= 0 ? big : small, s_neg = zz >= 0 ? small : big;
                bad += zz != zz ? (T)1 : (T)0;
                lo[t] = XE_FN(bce_loss)(zz, yy, wy, a);
                g[t] = (1 - yy) * s_pos - wy * s_neg;
            }
        } else {
#pragma omp simd reduction(+ : bad)
            for (int64_t t = 0; t < len; ++t) {
                const T zz = z[t], yy = ybuf[t], wy = wbuf[t] * yy;
                bad += zz != zz ? (T)1 : (T)0;
                lo[t] = XE_FN(bce_loss)(zz, yy, wy, XE_EXP(zz < 0 ? zz : -zz));
            }
        }
        if (bad != 0) err = XE_ERR_NAN;
    }
    if (ybuf != ybuf_stack) free(ybuf);
    if (wbuf != wbuf_stack) free(wbuf);
    return err;
}

#undef XE_CAT_
#undef XE_CAT
#undef XE_FN
