"""Build the optional C extension crossentropy._ckernels (fused cross-entropy kernels).

Everything else is configured in pyproject.toml.  The extension is optional: without a
C compiler the install still succeeds and the losses use their exact NumPy code.
OpenMP is used when the compiler supports it (threads), otherwise the kernels run on
one thread.
"""

from __future__ import annotations

import os
import tempfile

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

_PROBE = "#include <omp.h>\nint probe(void) { return omp_get_max_threads(); }\n"


def _links_with(compiler, flags: list[str]) -> bool:
    """Whether a small OpenMP file compiles and links as a shared object with ``flags``."""
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "probe.c")
        with open(src, "w") as f:
            f.write(_PROBE)
        try:
            objs = compiler.compile([src], output_dir=tmp, extra_postargs=flags)
            compiler.link_shared_object(objs, os.path.join(tmp, "probe.so"), extra_postargs=flags)
        except Exception:  # any compiler or linker failure means: no OpenMP
            return False
    return True


class BuildExt(build_ext):
    def build_extension(self, ext: Extension) -> None:
        if self.compiler.compiler_type == "msvc":
            opt, omp = ["/O2"], ["/openmp"]
        else:
            opt, omp = ["-O3", "-std=gnu11", "-ffp-contract=fast"], ["-fopenmp"]
        if _links_with(self.compiler, omp):
            ext.extra_compile_args = opt + omp
            ext.extra_link_args = omp
        else:
            ext.extra_compile_args = opt
        super().build_extension(ext)


setup(
    ext_modules=[
        Extension(
            "crossentropy._ckernels",
            sources=["src/crossentropy/_ckernels.c"],
            depends=["src/crossentropy/_ckernels_impl.h", "src/crossentropy/_ckernels_math.h"],
            optional=True,
        )
    ],
    cmdclass={"build_ext": BuildExt},
)
