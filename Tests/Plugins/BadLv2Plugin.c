// Deliberately bad LV2 plugins for the plugin scan and `wavebench check` tests (issue 16).
// One source, built once per fault (WB_BAD_FAULT): a mono gain (out = in * gain) that
//   1 alloc:  allocates and frees in run (a real-time violation the guard must name),
//   2 nan:    writes NaN into its output,
//   3 crash:  crashes (SIGSEGV) in instantiate,
//   4 hang:   never returns from run,
//   0 good:   does what it says (the control case: the same host path passes).
#include <lv2/core/lv2.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef WB_BAD_FAULT
#error "define WB_BAD_FAULT"
#endif
#define WB_FAULT_GOOD 0
#define WB_FAULT_ALLOC 1
#define WB_FAULT_NAN 2
#define WB_FAULT_CRASH 3
#define WB_FAULT_HANG 4

typedef struct
{
    const float* gain;
    const float* in;
    float* out;
} Plugin;

static LV2_Handle instantiate(const LV2_Descriptor* descriptor, double rate, const char* bundle,
                              const LV2_Feature* const* features)
{
    (void)descriptor;
    (void)rate;
    (void)bundle;
    (void)features;
#if WB_BAD_FAULT == WB_FAULT_CRASH
    volatile int* nowhere = (volatile int*)0;
    *nowhere = 1;
#endif
    return (LV2_Handle)calloc(1, sizeof(Plugin));
}

static void connect_port(LV2_Handle instance, uint32_t port, void* data)
{
    Plugin* p = (Plugin*)instance;
    switch (port)
    {
        case 0: p->gain = (const float*)data; break;
        case 1: p->in = (const float*)data; break;
        case 2: p->out = (float*)data; break;
        default: break;
    }
}

static void activate(LV2_Handle instance)
{
    (void)instance;
}

static void run(LV2_Handle instance, uint32_t n)
{
    Plugin* p = (Plugin*)instance;
    const float gain = p->gain != NULL ? *p->gain : 1.0f;
#if WB_BAD_FAULT == WB_FAULT_ALLOC
    // volatile: the compiler must not pair and remove the malloc/free.
    void* volatile scratch = malloc(n * sizeof(float) + 1);
    free(scratch);
#endif
#if WB_BAD_FAULT == WB_FAULT_HANG
    for (volatile int forever = 1; forever;)
    {
    }
#endif
    for (uint32_t i = 0; i < n; ++i)
        p->out[i] = p->in[i] * gain;
#if WB_BAD_FAULT == WB_FAULT_NAN
    if (n > 0)
        p->out[n / 2] = NAN;
#endif
}

static void deactivate(LV2_Handle instance)
{
    (void)instance;
}

static void cleanup(LV2_Handle instance)
{
    free(instance);
}

static const void* extension_data(const char* uri)
{
    (void)uri;
    return NULL;
}

static const LV2_Descriptor descriptor = {WB_BAD_URI, instantiate, connect_port, activate,
                                          run,        deactivate,  cleanup,      extension_data};

LV2_SYMBOL_EXPORT const LV2_Descriptor* lv2_descriptor(uint32_t index)
{
    return index == 0 ? &descriptor : NULL;
}
