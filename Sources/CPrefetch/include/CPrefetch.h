#ifndef CPREFETCH_H
#define CPREFETCH_H

/// Asks the CPU to bring the cache line at `address` in without waiting for it: the register
/// reader calls it a few rows before it inserts a person_id into its table, so the cache (and
/// TLB) miss overlaps the parsing of the rows in between. Swift has no prefetch of its own.
static inline void transfercalc_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
