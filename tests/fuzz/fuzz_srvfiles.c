/* libFuzzer target: the boot server's file list (from the network) and the in-memory volume built from its names. */
#include "srvfiles.h"
#include "fuzzutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	static pf_srv_list l;
	static pf_memvol v;
	pf_srv_list_parse(buf, size, &l);
	if (l.n > PF_SRV_MAX_FILES || (l.skipped && !l.bad_line))
		__builtin_trap();
	for (size_t i = 0; i < l.n; i++) {
		/* Never a way out of the folder: no empty, "." or ".." part, nothing absolute. */
		const char *part = l.names[i];
		if (strlen(part) >= PF_SRV_NAME_MAX)
			__builtin_trap();
		for (;;) {
			const char *slash = strchr(part, '/');
			size_t n = slash ? (size_t)(slash - part) : strlen(part);
			if (n == 0 || (n == 1 && part[0] == '.') || (n == 2 && part[0] == '.' && part[1] == '.'))
				__builtin_trap();
			if (!slash)
				break;
			part = slash + 1;
		}
		uint8_t *one = pf_malloc(1);
		if (one && pf_memvol_add(&v, l.names[i], one, 1) != PF_OK)
			__builtin_trap();
	}
	/* Every file is found under its own path, and every folder entry is found again. */
	for (size_t i = 0; i < v.n; i++) {
		size_t idx;
		if (pf_memvol_find(&v, v.files[i].path, &idx) != PF_MEMVOL_FILE)
			__builtin_trap();
	}
	char name[PF_SRV_NAME_MAX];
	bool dir;
	size_t sz, k = 0;
	while (pf_memvol_entry(&v, "\\preflight", k, name, sizeof(name), &dir, &sz))
		k++;
	if (k > v.n)
		__builtin_trap();
	pf_memvol_free(&v);
	pf_free(buf);
	return 0;
}
