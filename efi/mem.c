/* Pool memory for common/: AllocatePool with a small header so that realloc knows the old size (and
 * --repeat knows what is in use). */
#include <efi.h>
#include <efilib.h>
#include "pf.h"
#include "usage.h"

/* 16 bytes keep the payload aligned as AllocatePool's own result is (8) and then some. */
typedef struct {
	size_t size;
	size_t pad;
} pool_hdr;

void *pf_malloc(size_t n)
{
	void *p = NULL;
	if (n > SIZE_MAX - sizeof(pool_hdr))
		return NULL;
	if (BS->AllocatePool(EfiLoaderData, n + sizeof(pool_hdr), &p) != EFI_SUCCESS)
		return NULL;
	((pool_hdr *)p)->size = n;
	usage.pool_bytes += (int64_t)n;
	usage.pool_blocks++;
	if (usage.pool_bytes > usage.pool_peak)
		usage.pool_peak = usage.pool_bytes;
	return (pool_hdr *)p + 1;
}

void pf_free(void *p)
{
	if (!p)
		return;
	usage.pool_bytes -= (int64_t)((pool_hdr *)p - 1)->size;
	usage.pool_blocks--;
	BS->FreePool((pool_hdr *)p - 1);
}

void *pf_realloc(void *p, size_t n)
{
	if (!p)
		return pf_malloc(n);
	size_t old = ((pool_hdr *)p - 1)->size;
	void *q = pf_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	pf_free(p);
	return q;
}
