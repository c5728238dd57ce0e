/* What a run holds from the firmware: pool memory, open files, events, network children (for --repeat). */
#include "fmt.h"
#include "usage.h"

usage_counts usage;

void usage_str(const usage_counts *u, char *buf, size_t cap)
{
	pf_snprintf(buf, cap, "pool %lld bytes in %lld blocks (peak %lld), %lld files, %lld events, %lld network children",
		    (long long)u->pool_bytes, (long long)u->pool_blocks, (long long)u->pool_peak, (long long)u->files,
		    (long long)u->events, (long long)u->children);
}

bool usage_grew(const usage_counts *base, const usage_counts *now)
{
	return now->pool_bytes > base->pool_bytes || now->pool_blocks > base->pool_blocks ||
	       now->files > base->files || now->events > base->events || now->children > base->children;
}
