// The evaluation's loops (eval/executor.cpp, evaluate.cpp,
// household_aggregates.cpp, row_kernels.cpp and missing_columns.cpp) are
// compiled, in a portable build (the default), once for each x86-64
// level: AVX-512 (v4), AVX2 (v3) and the baseline (v2), each in a namespace
// of its own, and eval/isa_dispatch.cpp calls the one the processor runs,
// chosen once. Whole files rather than single functions, so that the
// compiler inlines and vectorises each version as a build for that processor
// would. A build for its own machine (PROACTIF_NATIVE) compiles them once.
//
// Each file is compiled at the baseline and only its own code, after every
// include, for its level (PROACTIF_ISA_BEGIN ... PROACTIF_ISA_END, GCC's
// target pragma): the inline functions and templates of the headers it uses
// (the standard library's among them), which the linker merges across
// files, stay baseline code that any processor runs (tests/isa_objects.py).
#pragma once

#ifndef PROACTIF_ISA
#define PROACTIF_ISA isa_native
#endif

#define PROACTIF_PRAGMA(text) _Pragma(#text)
#define PROACTIF_TARGET_PRAGMA(level) PROACTIF_PRAGMA(GCC target(level))
#if defined(PROACTIF_ISA_TARGET)
#define PROACTIF_ISA_BEGIN PROACTIF_PRAGMA(GCC push_options) PROACTIF_TARGET_PRAGMA(PROACTIF_ISA_TARGET)
#define PROACTIF_ISA_END PROACTIF_PRAGMA(GCC pop_options)
#else
#define PROACTIF_ISA_BEGIN
#define PROACTIF_ISA_END
#endif

// Code written for AVX-512 alone tests this, not __AVX512F__: GCC 12's target
// pragma enables the instructions without defining the macro, so such code
// would be left out of the portable build's AVX-512 level.
#if defined(__AVX512F__) && !defined(PROACTIF_ISA_AVX512)
#define PROACTIF_ISA_AVX512 1
#endif
