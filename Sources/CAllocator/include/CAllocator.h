#ifndef CALLOCATOR_H
#define CALLOCATOR_H

#if defined(__GLIBC__) || defined(__linux__)
#include <malloc.h>
#endif

/// Lets the C allocator keep up to `keep` bytes of freed memory and grow its heap `pad` bytes
/// at a time, instead of handing freed pages back to the system at once. A sweep allocates and
/// frees the same few hundred kilobytes per thread at every value; without this each value
/// faults those pages in again. Swift's Glibc module does not expose `mallopt`. No effect
/// where the C library has no such setting.
static inline void transfercalc_keep_freed_memory(int keep, int pad) {
#if defined(__GLIBC__)
    mallopt(M_TRIM_THRESHOLD, keep);
    mallopt(M_TOP_PAD, pad);
#else
    (void)keep;
    (void)pad;
#endif
}

#endif
