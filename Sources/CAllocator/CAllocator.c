// The header's function is static inline; this file only gives the target a source.
#include "CAllocator.h"
