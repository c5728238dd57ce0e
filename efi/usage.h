/* What a run holds from the firmware: pool memory, open files, events, network children (for --repeat). */
#ifndef PF_EFI_USAGE_H
#define PF_EFI_USAGE_H

#include "pf.h"

typedef struct {
	int64_t pool_bytes;   /* pf_malloc'ed and not yet freed (payload bytes) */
	int64_t pool_blocks;
	int64_t pool_peak;    /* the most pool_bytes ever reached (shows the counter saw the run's work) */
	int64_t files;        /* EFI_FILE handles opened through efi/fs.c and efi/chainload.c, not yet closed */
	int64_t events;       /* events made by net_event, not yet closed */
	int64_t children;     /* service-binding children made by net_child_create, not yet destroyed */
} usage_counts;

/* The live counters; every owner of one of these resources updates them where it gets or gives back. */
extern usage_counts usage;

/* "pool 1234 bytes in 56 blocks, 1 file, 0 events, 0 children" */
void usage_str(const usage_counts *u, char *buf, size_t cap);
/* True when any counter in now is above base (something from a run was not given back). */
bool usage_grew(const usage_counts *base, const usage_counts *now);

#endif
