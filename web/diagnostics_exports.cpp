// Numbers the tests use to prove that errors cost nothing that accumulates: the wasm heap
// in use and the wasm stack pointer must be where they were after any number of failing calls.

#include <emscripten/stack.h>
#include <malloc.h>

#include "export.h"

WT_EXPORT double wt_heap_in_use() { return double(mallinfo().uordblks); }
WT_EXPORT double wt_stack_pointer() { return double(emscripten_stack_get_current()); }
