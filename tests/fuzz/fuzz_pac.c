/* libFuzzer target: PAC files through pf_pac_eval (Duktape, the helpers, the budget and the memory cap),
 * their answers through pf_pac_parse_result. Whatever the script does, the call must come back with a
 * status and an error text, in about its budget, and leave nothing allocated (LeakSanitizer). */
#include <stdio.h>
#include <time.h>
#include "fuzzutil.h"
#include "pac.h"
#include "pacresult.h"

static uint64_t ticks(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool resolve(void *ctx, const char *host, char *ret, size_t cap)
{
	(void)ctx;
	if (host[0] == 'n')
		return false;
	snprintf(ret, cap, "%s", host[0] == 'x' ? "not an address" : "10.1.2.3");
	return true;
}

static bool my_address(void *ctx, char *ret, size_t cap)
{
	(void)ctx;
	snprintf(ret, cap, "192.168.10.20");
	return true;
}

static bool wall_clock(void *ctx, int64_t *ret_unix, int32_t *ret_tz)
{
	(void)ctx;
	*ret_unix = 1796643000;
	*ret_tz = -300;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	if (!buf)
		return 0;
	static const pf_pac_env env = { .resolve = resolve, .my_address = my_address, .wall_clock = wall_clock,
					.ticks_ms = ticks, .mem_cap = 2u * 1024 * 1024 };
	char out[512], err[200];
	uint64_t t0 = ticks(NULL);
	pf_status st = pf_pac_eval(buf, size, "https://ztd.dds.microsoft.com/x", "ztd.dds.microsoft.com", &env, 100,
				   out, sizeof(out), err, sizeof(err));
	if (ticks(NULL) - t0 > 3000) /* the budget is 100 ms; compiling is not covered by it, but it is quick */
		__builtin_trap();
	if (st == PF_OK) {
		pf_pac_routes r;
		(void)pf_pac_parse_result(out, strlen(out), &r, err, sizeof(err));
	} else if (!err[0] || out[0]) {
		__builtin_trap();
	}
	pf_free(buf);
	return 0;
}
