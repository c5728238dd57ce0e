/*
 * PAC files (proxy auto-config): FindProxyForURL evaluated by a real JavaScript engine (Duktape,
 * built from Debian's source package with common/pac_duk_config.h), with the standard helper
 * functions, a time budget and a memory cap. Portable: what needs the network or the clock comes
 * through pf_pac_env, which efi/ backs with the firmware's DNS and clocks and the tests with fakes.
 */
#ifndef PF_PAC_H
#define PF_PAC_H

#include "pf.h"

/* The engine's memory when pf_pac_env.mem_cap is 0; a typical PAC needs 150-300 KiB. */
#define PF_PAC_MEM_DEFAULT (8u * 1024 * 1024)
/* Larger scripts are refused before compiling (compiling cannot be cut off by the budget). */
#define PF_PAC_SCRIPT_MAX (1024u * 1024)

typedef struct pf_pac_env {
	void *ctx; /* passed to each callback */
	/* A host name to its IPv4 address in dotted text (dnsResolve, isResolvable, isInNet); false
	 * when it does not resolve. NULL: nothing resolves. Literal addresses never get here. */
	bool (*resolve)(void *ctx, const char *host, char *ret_addr, size_t cap);
	/* This machine's IPv4 address in dotted text (myIpAddress). NULL or false: "127.0.0.1", what
	 * browsers answer when they know none. */
	bool (*my_address)(void *ctx, char *ret_addr, size_t cap);
	/* The wall clock: seconds since 1970-01-01 UTC and the local zone's offset from UTC in minutes
	 * (east positive), for Date, weekdayRange, dateRange and timeRange. NULL or false: 1970-01-01
	 * 00:00 UTC. */
	bool (*wall_clock)(void *ctx, int64_t *ret_unix, int32_t *ret_tz_minutes);
	/* A monotonic millisecond counter for the budget. NULL: no budget can be kept (pf_pac_eval
	 * refuses to run a script without one). */
	uint64_t (*ticks_ms)(void *ctx);
	size_t mem_cap; /* bytes the engine may hold at once; 0: PF_PAC_MEM_DEFAULT */
} pf_pac_env;

/*
 * Runs the PAC file script (len bytes, UTF-8, a BOM allowed), then FindProxyForURLEx(url, host)
 * when the script defines it (as WinHTTP prefers it), else FindProxyForURL(url, host), and copies
 * the string it returns into ret_result (cap bytes, NUL-terminated).
 *
 * Returns PF_OK; PF_ERR_INVALID when the script does not compile, throws, defines no
 * FindProxyForURL or returns something other than a string; PF_ERR_TIMEOUT when it ran past
 * budget_ms (loading and the call together); PF_ERR_NOMEM when it needed more than the memory cap
 * (or the pool ran out); PF_ERR_TOO_BIG when the script is over PF_PAC_SCRIPT_MAX or the answer
 * does not fit in cap. On every error ret_err (err_cap bytes) says what happened, with the script's
 * line where the engine knows it ("line 3: SyntaxError: ..."). Everything the engine allocated is
 * freed before returning, on every path.
 */
pf_status pf_pac_eval(const void *script, size_t len, const char *url, const char *host, const pf_pac_env *env,
		      uint32_t budget_ms, char *ret_result, size_t cap, char *ret_err, size_t err_cap) PF_MUST_CHECK;

/* pf_pac_eval_each's callbacks: the URL and host of call i; the answer of call i (valid during the call). */
typedef void (*pf_pac_get_fn)(void *ctx, size_t i, const char **ret_url, const char **ret_host);
typedef void (*pf_pac_answer_fn)(void *ctx, size_t i, const char *answer);

/*
 * pf_pac_eval for n calls in one engine, as a browser or WinHTTP keeps a PAC file loaded: the script is
 * compiled and run once, then FindProxyForURL(Ex) is called for each URL get() gives, answer() getting each
 * string (ret_result, cap bytes, is the scratch it is copied into). Loading and the first call share one
 * budget_ms, every later call has its own. The first failure ends it (a script that throws or runs away
 * for one URL is not trusted for the rest): the status and ret_err as pf_pac_eval's, answers given so far
 * stand. Everything the engine allocated is freed before returning.
 */
pf_status pf_pac_eval_each(const void *script, size_t len, size_t n, pf_pac_get_fn get, pf_pac_answer_fn answer,
			   void *ctx, const pf_pac_env *env, uint32_t budget_ms, char *ret_result, size_t cap,
			   char *ret_err, size_t err_cap) PF_MUST_CHECK;

#endif
