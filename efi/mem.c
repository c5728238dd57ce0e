/* Pool memory for common/: AllocatePool with a small header so that realloc knows the old size. */
#include <efi.h>
#include <efilib.h>
#include "pf.h"

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
	return (pool_hdr *)p + 1;
}

void pf_free(void *p)
{
	if (p)
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
