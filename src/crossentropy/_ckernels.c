/*
 * crossentropy._ckernels: fused, multi-threaded cross-entropy kernels.
 *
 * Called only through crossentropy/_kernels.py, which checks shapes and dtypes, picks
 * the thread count and falls back to the exact NumPy code when this module is absent.
 * Arrays arrive through the buffer protocol (no NumPy headers are needed to build).
 * Bad data (NaN or +inf logits, a row of -inf, a label outside [0, K), a target
 * outside [0, 1]) raises InputError; the Python side then lets the exact code raise
 * its precise error.  A failed allocation raises MemoryError.
 *
 * Threads: OpenMP when the compiler has it (row blocks split evenly, one per thread;
 * each row is computed the same way whatever the thread count, so the per-row
 * results do not depend on it).  SIMD: loops are written for the compiler's
 * vectoriser; on x86-64 Linux with GCC each kernel is compiled for baseline x86-64,
 * x86-64-v3 (AVX2, FMA) and x86-64-v4 (AVX-512) and the loader picks one at run time.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#if !defined(_WIN32)
#include <pthread.h>
#define XE_ATFORK 1
#endif
#endif

#include "_ckernels_math.h"

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
    !defined(XE_NO_CLONES)
#define XE_CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#define XE_HAVE_CLONES 1
#else
#define XE_CLONES
#define XE_HAVE_CLONES 0
#endif

enum {
    XE_BLOCK = 2048,      /* elements per block of targets (binary kernel) */
    XE_LANES = 16,        /* rows handled together when rows are narrow */
    XE_WIDE_K_F = 64,     /* from this many classes on, vector loops run along a row */
    XE_WIDE_K_D = 40,     /* (float32, float64: crossovers measured with AVX-512) */
    XE_SUM_BLOCK = 1024,  /* terms per partial sum in T before adding into double */
    XE_MIN_WORK = 32768,  /* elements per thread below which fewer threads are used */
    XE_CHUNK_WORK = 65536, /* elements per chunk of work handed to a thread */
    XE_NOGIL_WORK = 16384 /* elements from which the GIL is released */
};

enum { XE_ERR_NAN = 1, XE_ERR_POSINF, XE_ERR_ALLNEGINF, XE_ERR_LABEL, XE_ERR_TARGET, XE_ERR_NOMEM };

/* Target element types accepted by the binary kernel. */
enum { XE_Y_F32, XE_Y_F64, XE_Y_U8, XE_Y_I8, XE_Y_I32, XE_Y_I64 };

typedef struct {
    const char *z;
    ptrdiff_t zstride;
    int64_t n, k;
    const int64_t *labels;
    const void *cw;   /* class weights, K of T, or NULL */
    const double *sw; /* sample weights, N doubles, or NULL */
    double scale;     /* multiplies every sample weight */
    void *loss;       /* N of T, or NULL */
    char *grad;       /* N x K of T with row stride gstride, or NULL; may be z */
    ptrdiff_t gstride;
} xent_args;

typedef struct {
    const void *z;
    const void *y;
    int ytype;
    const void *pw; /* P of T repeating along the flat array, or NULL */
    int64_t p, n;
    void *loss;     /* n of T; may be z */
    void *grad;     /* n of T or NULL; may be z */
} bce_args;

/* ---- float32 ---- */
#define T float
#define SUF f
#define XE_WIDE_K XE_WIDE_K_F
#define XE_EXP xe_exp_f
#define XE_LOG1P xe_log1p_f
#include "_ckernels_impl.h"
#undef T
#undef SUF
#undef XE_WIDE_K
#undef XE_EXP
#undef XE_LOG1P

/* ---- float64 ---- */
#define T double
#define SUF d
#define XE_WIDE_K XE_WIDE_K_D
#define XE_EXP xe_exp_d
#define XE_LOG1P xe_log1p_d
#include "_ckernels_impl.h"
#undef T
#undef SUF
#undef XE_WIDE_K
#undef XE_EXP
#undef XE_LOG1P

/* ---- threads ---- */

/* GNU OpenMP's thread pool does not survive fork(): a child that enters a parallel
 * region after its parent ran one waits forever.  So a child forked after the pool
 * started runs the kernels on its own thread (as PyTorch does). */
static int xe_pool_started = 0, xe_forked_after_pool = 0;
#ifdef XE_ATFORK
static void xe_after_fork_in_child(void) { xe_forked_after_pool = xe_pool_started; }
#endif

static int xe_threads_for(long requested, int64_t work, int64_t units)
{
#ifdef _OPENMP
    if (xe_forked_after_pool) return 1;
    int64_t nt = requested < 1 ? 1 : requested;
    int64_t by_work = work / XE_MIN_WORK;
    if (nt > by_work) nt = by_work;
    if (nt > units) nt = units;
    if (nt > 1024) nt = 1024;
    return nt < 1 ? 1 : (int)nt;
#else
    (void)requested, (void)work, (void)units;
    return 1;
#endif
}

typedef int (*xent_fn)(const xent_args *, int64_t, int64_t, double *);

/*
 * Rows are cut into chunks of about XE_CHUNK_WORK elements that threads take in turn
 * (dynamic scheduling: a thread held up by another process on a shared machine does
 * not hold the others back).  Each row is computed the same way whichever thread
 * takes it, and the chunks' partial sums are added in chunk order, so the results --
 * the total included -- do not depend on the thread count.
 */
static int xent_run(const xent_args *A, int is_double, int nt, double *total)
{
    xent_fn fn = is_double ? (A->k >= XE_WIDE_K_D ? xent_wide_d : xent_narrow_d)
                           : (A->k >= XE_WIDE_K_F ? xent_wide_f : xent_narrow_f);
    *total = 0.0;
    if (A->n == 0) return 0;
    int64_t rows = (XE_CHUNK_WORK + A->k - 1) / A->k;
    rows = (rows + XE_LANES - 1) / XE_LANES * XE_LANES;
    const int64_t nchunks = (A->n + rows - 1) / rows;
    double parts_stack[256];
    double *parts = nchunks <= 256 ? parts_stack : (double *)malloc((size_t)nchunks * sizeof(double));
    if (!parts) return XE_ERR_NOMEM;
    int err = 0;
#define XE_XENT_CHUNK                                                           \
    {                                                                           \
        const int64_t r0 = c * rows, r1 = r0 + rows < A->n ? r0 + rows : A->n;  \
        parts[c] = 0.0;                                                         \
        const int e = fn(A, r0, r1, &parts[c]);                                 \
        err = e > err ? e : err;                                                \
    }
    if (nt > 1) {
#ifdef _OPENMP
        xe_pool_started = 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) reduction(max : err)
#endif
        for (int64_t c = 0; c < nchunks; ++c) XE_XENT_CHUNK
    } else {
        for (int64_t c = 0; c < nchunks; ++c) XE_XENT_CHUNK
    }
#undef XE_XENT_CHUNK
    for (int64_t c = 0; c < nchunks; ++c) *total += parts[c];
    if (parts != parts_stack) free(parts);
    return err;
}

static int bce_run(const bce_args *A, int is_double, int nt)
{
    if (A->n == 0) return 0;
    /* chunks of whole repetitions of the pos_weight vector */
    int64_t per = (XE_CHUNK_WORK + A->p - 1) / A->p * A->p;
    const int64_t nchunks = (A->n + per - 1) / per;
    int err = 0;
#define XE_BCE_CHUNK                                                                 \
    {                                                                                \
        const int64_t i0 = c * per, i1 = i0 + per < A->n ? i0 + per : A->n;          \
        const int e = is_double ? bce_range_d(A, i0, i1) : bce_range_f(A, i0, i1);   \
        err = e > err ? e : err;                                                     \
    }
    if (nt > 1) {
#ifdef _OPENMP
        xe_pool_started = 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt) reduction(max : err)
#endif
        for (int64_t c = 0; c < nchunks; ++c) XE_BCE_CHUNK
    } else {
        for (int64_t c = 0; c < nchunks; ++c) XE_BCE_CHUNK
    }
#undef XE_BCE_CHUNK
    return err;
}

/* ---- Python interface ---- */

static PyObject *InputError; /* subclass of ValueError; args: (code,) */

/* The element type of a buffer: 'f' (float32), 'd' (float64), 'q' (int64) or 0. */
static char xe_kind(const Py_buffer *b)
{
    const char *f = b->format ? b->format : "B";
    if (f[0] == '@' || f[0] == '=' || f[0] == '<') f++; /* native little-endian only */
    if (f[0] == '\0' || f[1] != '\0') return 0;
    switch (f[0]) {
        case 'f': return b->itemsize == 4 ? 'f' : 0;
        case 'd': return b->itemsize == 8 ? 'd' : 0;
        case 'i': case 'l': case 'q':
            return b->itemsize == 8 ? 'q' : (b->itemsize == 4 ? 'i' : 0);
        case 'b': return 'b';
        case 'B': return 'B';
        case '?': return b->itemsize == 1 ? '?' : 0;
        default: return 0;
    }
}

typedef struct {
    Py_buffer b[8];
    int held[8];
} xe_bufs;

static void xe_release(xe_bufs *B)
{
    for (int i = 0; i < 8; ++i)
        if (B->held[i]) PyBuffer_Release(&B->b[i]);
}

/* Acquire buffer `slot` from `obj` (None gives 0 with nothing held); -1 on error. */
static int xe_get(xe_bufs *B, int slot, PyObject *obj, int flags, const char *name)
{
    if (obj == Py_None) return 0;
    if (PyObject_GetBuffer(obj, &B->b[slot], flags) < 0) {
        PyErr_Format(PyExc_TypeError, "_ckernels: `%s` must be a %sarray", name,
                     (flags & PyBUF_WRITABLE) ? "writable " : "");
        return -1;
    }
    B->held[slot] = 1;
    return 1;
}

static PyObject *xe_bad_arg(xe_bufs *B, const char *what)
{
    xe_release(B);
    PyErr_Format(PyExc_ValueError, "_ckernels: %s", what);
    return NULL;
}

static PyObject *xe_input_error(int code)
{
    PyObject *v = PyLong_FromLong(code);
    if (v) {
        PyErr_SetObject(InputError, v);
        Py_DECREF(v);
    }
    return NULL;
}

PyDoc_STRVAR(softmax_xent_doc,
"softmax_xent(z, labels, class_weight, sample_weight, scale, loss_out, grad_out, nthreads)\n"
"\n"
"Softmax cross-entropy of the rows of the 2-D float32/float64 array z (rows\n"
"contiguous) with int64 labels.  class_weight: None or K of z's dtype;\n"
"sample_weight: None or N float64; each row's weight is sample_weight * scale.\n"
"Writes the per-row losses (unweighted by the sample weight) into loss_out and\n"
"the sample-weighted gradient into grad_out (either may be None; grad_out may be\n"
"z itself).  Returns the sample-weighted sum of the losses as a float.");

static PyObject *py_softmax_xent(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 8) {
        PyErr_SetString(PyExc_TypeError, "softmax_xent takes 8 positional arguments");
        return NULL;
    }
    const double scale = PyFloat_AsDouble(args[4]);
    const long nthreads = PyLong_AsLong(args[7]);
    if (PyErr_Occurred()) return NULL;
    xe_bufs B;
    memset(B.held, 0, sizeof B.held);
    const int ro = PyBUF_STRIDES | PyBUF_FORMAT, contig = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT;
    if (xe_get(&B, 0, args[0], ro, "z") < 0 || xe_get(&B, 1, args[1], contig, "labels") < 0 ||
        xe_get(&B, 2, args[2], contig, "class_weight") < 0 ||
        xe_get(&B, 3, args[3], contig, "sample_weight") < 0 ||
        xe_get(&B, 4, args[5], contig | PyBUF_WRITABLE, "loss_out") < 0 ||
        xe_get(&B, 5, args[6], ro | PyBUF_WRITABLE, "grad_out") < 0) {
        xe_release(&B);
        return NULL;
    }
    const Py_buffer *z = &B.b[0];
    const char kind = xe_kind(z);
    if (z->ndim != 2 || (kind != 'f' && kind != 'd') || z->strides[1] != z->itemsize)
        return xe_bad_arg(&B, "z must be 2-D float32/float64 with contiguous rows");
    xent_args A;
    A.z = (const char *)z->buf;
    A.zstride = z->strides[0];
    A.n = z->shape[0];
    A.k = z->shape[1];
    if (A.k < 1) return xe_bad_arg(&B, "z must have at least one column");
    const Py_buffer *lab = &B.b[1];
    if (xe_kind(lab) != 'q' || lab->len != A.n * 8)
        return xe_bad_arg(&B, "labels must be N contiguous int64");
    A.labels = (const int64_t *)lab->buf;
    A.cw = NULL;
    if (B.held[2]) {
        if (xe_kind(&B.b[2]) != kind || B.b[2].len != A.k * z->itemsize)
            return xe_bad_arg(&B, "class_weight must be K values of z's dtype");
        A.cw = B.b[2].buf;
    }
    A.sw = NULL;
    if (B.held[3]) {
        if (xe_kind(&B.b[3]) != 'd' || B.b[3].len != A.n * 8)
            return xe_bad_arg(&B, "sample_weight must be N float64");
        A.sw = (const double *)B.b[3].buf;
    }
    A.scale = scale;
    A.loss = NULL;
    if (B.held[4]) {
        if (xe_kind(&B.b[4]) != kind || B.b[4].len != A.n * z->itemsize)
            return xe_bad_arg(&B, "loss_out must be N values of z's dtype");
        A.loss = B.b[4].buf;
    }
    A.grad = NULL;
    A.gstride = 0;
    if (B.held[5]) {
        const Py_buffer *g = &B.b[5];
        if (xe_kind(g) != kind || g->ndim != 2 || g->shape[0] != A.n || g->shape[1] != A.k ||
            g->strides[1] != g->itemsize)
            return xe_bad_arg(&B, "grad_out must have z's shape and dtype, rows contiguous");
        A.grad = (char *)g->buf;
        A.gstride = g->strides[0];
    }
    const int64_t work = A.n * A.k;
    const int nt = xe_threads_for(nthreads, work, A.n);
    double total = 0.0;
    int err;
    if (work >= XE_NOGIL_WORK) {
        Py_BEGIN_ALLOW_THREADS
        err = xent_run(&A, kind == 'd', nt, &total);
        Py_END_ALLOW_THREADS
    } else {
        err = xent_run(&A, kind == 'd', nt, &total);
    }
    xe_release(&B);
    if (err == XE_ERR_NOMEM) return PyErr_NoMemory();
    if (err) return xe_input_error(err);
    return PyFloat_FromDouble(total);
}

PyDoc_STRVAR(binary_xent_doc,
"binary_xent(z, y, pos_weight, loss_out, grad_out, nthreads)\n"
"\n"
"Binary cross-entropy from logits, elementwise over the C-contiguous float32/float64\n"
"array z and targets y (C-contiguous, as many elements; float32, float64, bool,\n"
"int8, uint8, int32 or int64).  pos_weight: None or P values of z's dtype repeating\n"
"along the flat array (P divides the size).  Writes the losses into loss_out and\n"
"the gradient into grad_out (None to skip); either may be z itself.");

static PyObject *py_binary_xent(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "binary_xent takes 6 positional arguments");
        return NULL;
    }
    const long nthreads = PyLong_AsLong(args[5]);
    if (PyErr_Occurred()) return NULL;
    xe_bufs B;
    memset(B.held, 0, sizeof B.held);
    const int contig = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT;
    if (xe_get(&B, 0, args[0], contig, "z") < 0 || xe_get(&B, 1, args[1], contig, "y") < 0 ||
        xe_get(&B, 2, args[2], contig, "pos_weight") < 0 ||
        xe_get(&B, 3, args[3], contig | PyBUF_WRITABLE, "loss_out") < 0 ||
        xe_get(&B, 4, args[4], contig | PyBUF_WRITABLE, "grad_out") < 0) {
        xe_release(&B);
        return NULL;
    }
    const Py_buffer *z = &B.b[0];
    const char kind = xe_kind(z);
    if ((kind != 'f' && kind != 'd') || !B.held[1] || !B.held[3])
        return xe_bad_arg(&B, "z must be float32/float64; y and loss_out are required");
    bce_args A;
    A.z = z->buf;
    A.n = z->len / z->itemsize;
    const Py_buffer *y = &B.b[1];
    switch (xe_kind(y)) {
        case 'f': A.ytype = XE_Y_F32; break;
        case 'd': A.ytype = XE_Y_F64; break;
        case '?': case 'B': A.ytype = XE_Y_U8; break;
        case 'b': A.ytype = XE_Y_I8; break;
        case 'i': A.ytype = XE_Y_I32; break;
        case 'q': A.ytype = XE_Y_I64; break;
        default: return xe_bad_arg(&B, "y has an unsupported dtype");
    }
    if (y->len / y->itemsize != A.n) return xe_bad_arg(&B, "y must have as many elements as z");
    A.y = y->buf;
    A.pw = NULL;
    A.p = 1;
    if (B.held[2]) {
        const int64_t p = B.b[2].len / z->itemsize;
        if (xe_kind(&B.b[2]) != kind || p < 1 || (A.n > 0 && A.n % p != 0))
            return xe_bad_arg(&B, "pos_weight must be P values of z's dtype, P dividing the size");
        A.pw = B.b[2].buf;
        A.p = p;
    }
    if (xe_kind(&B.b[3]) != kind || B.b[3].len != z->len)
        return xe_bad_arg(&B, "loss_out must match z");
    A.loss = B.b[3].buf;
    A.grad = NULL;
    if (B.held[4]) {
        if (xe_kind(&B.b[4]) != kind || B.b[4].len != z->len)
            return xe_bad_arg(&B, "grad_out must match z");
        A.grad = B.b[4].buf;
    }
    const int nt = xe_threads_for(nthreads, A.n, A.n / A.p);
    int err;
    if (A.n >= XE_NOGIL_WORK) {
        Py_BEGIN_ALLOW_THREADS
        err = bce_run(&A, kind == 'd', nt);
        Py_END_ALLOW_THREADS
    } else {
        err = bce_run(&A, kind == 'd', nt);
    }
    xe_release(&B);
    if (err == XE_ERR_NOMEM) return PyErr_NoMemory();
    if (err) return xe_input_error(err);
    Py_RETURN_NONE;
}

PyDoc_STRVAR(build_info_doc,
"build_info() -> dict: 'openmp' (bool), 'max_threads' (OpenMP's default),\n"
"'simd' (the instruction set the kernels run with on this CPU).");

static PyObject *py_build_info(PyObject *self, PyObject *unused)
{
    (void)self, (void)unused;
    const char *simd = "portable C (compiler's default target)";
#if XE_HAVE_CLONES
    __builtin_cpu_init();
    if (__builtin_cpu_supports("x86-64-v4"))
        simd = "x86-64-v4 (AVX-512)";
    else if (__builtin_cpu_supports("x86-64-v3"))
        simd = "x86-64-v3 (AVX2, FMA)";
    else
        simd = "x86-64 baseline (SSE2)";
#endif
#ifdef _OPENMP
    return Py_BuildValue("{s:O,s:i,s:s,s:O}", "openmp", Py_True, "max_threads",
                         omp_get_max_threads(), "simd", simd, "single_thread_after_fork",
                         xe_forked_after_pool ? Py_True : Py_False);
#else
    return Py_BuildValue("{s:O,s:i,s:s}", "openmp", Py_False, "max_threads", 1, "simd", simd);
#endif
}

static PyMethodDef xe_methods[] = {
    {"softmax_xent", (PyCFunction)(void (*)(void))py_softmax_xent, METH_FASTCALL, softmax_xent_doc},
    {"binary_xent", (PyCFunction)(void (*)(void))py_binary_xent, METH_FASTCALL, binary_xent_doc},
    {"build_info", py_build_info, METH_NOARGS, build_info_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef xe_module = {
    PyModuleDef_HEAD_INIT, "_ckernels",
    "Fused cross-entropy kernels (see crossentropy._kernels, the only caller).", -1, xe_methods,
};

PyMODINIT_FUNC PyInit__ckernels(void)
{
    PyObject *m = PyModule_Create(&xe_module);
    if (!m) return NULL;
#ifdef XE_ATFORK
    pthread_atfork(NULL, NULL, xe_after_fork_in_child);
#endif
    InputError = PyErr_NewException("crossentropy._ckernels.InputError", PyExc_ValueError, NULL);
    if (!InputError || PyModule_AddObject(m, "InputError", InputError) < 0) {
        Py_XDECREF(InputError);
        Py_DECREF(m);
        return NULL;
    }
    Py_INCREF(InputError);
    return m;
}
