/*
 * PAC evaluation on Duktape: one heap per call, a capped allocator that knows every block it gave
 * out (so that even a fatal engine error leaves nothing behind), the helper functions of the
 * Netscape/Microsoft PAC interface, and the budget kept through Duktape's execution-timeout hook.
 */
#include <setjmp.h>
#include "pac.h"
#include "fmt.h"
#include "duktape.h"

/* A block of the engine's: a header that links it into its heap's list, 16-byte aligned payload. */
typedef struct pac_block {
	struct pac_block *prev, *next;
	size_t size;
	size_t pad;
} pac_block;

typedef struct {
	const pf_pac_env *env;
	pac_block *blocks;
	size_t used, cap;
	bool cap_hit;
	uint64_t deadline;
	bool timed_out;
	bool creating;  /* inside duk_create_heap, which has no catcher for its own errors */
	bool pool_out;  /* pf_malloc failed */
	jmp_buf fatal;
	char fatal_msg[96];
} pac_heap;

/* Date's local time zone, in seconds (DUK_USE_DATE_GET_LOCAL_TZOFFSET has no context argument). Set
 * for the duration of one pf_pac_eval; the firmware runs one at a time. */
static int pac_tz_seconds;

static void link_block(pac_heap *h, pac_block *b)
{
	b->prev = NULL;
	b->next = h->blocks;
	if (h->blocks)
		h->blocks->prev = b;
	h->blocks = b;
}

static void unlink_block(pac_heap *h, pac_block *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		h->blocks = b->next;
	if (b->next)
		b->next->prev = b->prev;
}

/* An allocation failed. While the heap is being created that would be an uncaught error, which
 * Duktape 2.7 answers by building an error message, which fails to allocate, and so on until the
 * stack is gone: so the heap is abandoned here instead (eval_on_heap frees its blocks). */
static void *alloc_failed(pac_heap *h, bool cap)
{
	if (cap)
		h->cap_hit = true;
	else
		h->pool_out = true;
	if (h->creating) {
		pf_snprintf(h->fatal_msg, sizeof(h->fatal_msg), "out of memory while creating the heap");
		longjmp(h->fatal, 1);
	}
	return NULL;
}

static void *pac_alloc(void *udata, duk_size_t size)
{
	pac_heap *h = udata;
	if (size == 0)
		return NULL;
	if (size > h->cap - h->used)
		return alloc_failed(h, true);
	pac_block *b = pf_malloc(sizeof(*b) + size);
	if (!b)
		return alloc_failed(h, false);
	b->size = size;
	link_block(h, b);
	h->used += size;
	return b + 1;
}

static void pac_free(void *udata, void *ptr)
{
	pac_heap *h = udata;
	if (!ptr)
		return;
	pac_block *b = (pac_block *)ptr - 1;
	unlink_block(h, b);
	h->used -= b->size;
	pf_free(b);
}

static void *pac_realloc(void *udata, void *ptr, duk_size_t size)
{
	pac_heap *h = udata;
	if (!ptr)
		return pac_alloc(udata, size);
	if (size == 0) {
		pac_free(udata, ptr);
		return NULL;
	}
	pac_block *b = (pac_block *)ptr - 1;
	size_t old = b->size;
	if (size > old && size - old > h->cap - h->used)
		return alloc_failed(h, true);
	/* pf_realloc may move the block: out of the list first, then back in wherever it is. */
	unlink_block(h, b);
	pac_block *nb = pf_realloc(b, sizeof(*b) + size);
	link_block(h, nb ? nb : b);
	if (!nb)
		return alloc_failed(h, false); /* the old block is intact, as Duktape expects */
	h->used = h->used - old + size;
	nb->size = size;
	return nb + 1;
}

/* Frees what a heap still holds: after a fatal error, whose heap cannot be destroyed normally. */
static void free_all(pac_heap *h)
{
	while (h->blocks) {
		pac_block *b = h->blocks;
		h->blocks = b->next;
		pf_free(b);
	}
	h->used = 0;
}

static pac_heap *heap_of(duk_context *ctx)
{
	duk_memory_functions mf;
	duk_get_memory_functions(ctx, &mf);
	return mf.udata;
}

/* Duktape's hooks (common/pac_duk_config.h). */

void pf_pac_fatal(void *udata, const char *msg)
{
	pac_heap *h = udata;
	pf_snprintf(h->fatal_msg, sizeof(h->fatal_msg), "%s", msg ? msg : "unknown");
	longjmp(h->fatal, 1);
}

static void fatal_handler(void *udata, const char *msg)
{
	pf_pac_fatal(udata, msg);
}

int pf_pac_timeout_check(void *udata)
{
	pac_heap *h = udata;
	if (!h)
		return 0;
	/* Sticky: once spent, every later check fails too, so a catch block cannot keep running. */
	if (!h->timed_out && h->env->ticks_ms(h->env->ctx) >= h->deadline)
		h->timed_out = true;
	return h->timed_out;
}

static bool clock_now(const pf_pac_env *env, int64_t *ret_unix, int32_t *ret_tz)
{
	*ret_unix = 0;
	*ret_tz = 0;
	if (!env->wall_clock || !env->wall_clock(env->ctx, ret_unix, ret_tz)) {
		*ret_unix = 0;
		*ret_tz = 0;
		return false;
	}
	return true;
}

double pf_pac_date_now(void *ctx)
{
	pac_heap *h = heap_of(ctx);
	int64_t secs;
	int32_t tz;
	clock_now(h->env, &secs, &tz);
	return (double)secs * 1000.0;
}

int pf_pac_date_tzoffset(double d)
{
	(void)d;
	return pac_tz_seconds;
}

/* The helpers that need the environment, in C. */

/* A dotted IPv4 literal: four decimal parts of 0-255. */
static bool parse_ipv4(const char *s, uint32_t *ret)
{
	uint32_t v = 0;
	for (int part = 0; part < 4; part++) {
		unsigned n = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			n = n * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || n > 255 || digits > 3)
			return false;
		v = v << 8 | n;
		if (part < 3 && *s++ != '.')
			return false;
	}
	if (*s)
		return false;
	*ret = v;
	return true;
}

/* host to dotted IPv4 into buf (16 bytes); literals answer themselves. */
static bool resolve(pac_heap *h, const char *host, char *buf, size_t cap)
{
	uint32_t v;
	if (parse_ipv4(host, &v)) {
		pf_snprintf(buf, cap, "%u.%u.%u.%u", v >> 24, v >> 16 & 255, v >> 8 & 255, v & 255);
		return true;
	}
	if (!h->env->resolve || !*host)
		return false;
	char tmp[64] = "";
	bool ok = h->env->resolve(h->env->ctx, host, tmp, sizeof(tmp));
	tmp[sizeof(tmp) - 1] = '\0';
	if (!ok || !parse_ipv4(tmp, &v))
		return false; /* an answer that is no IPv4 address counts as none */
	pf_snprintf(buf, cap, "%s", tmp);
	return true;
}

static duk_ret_t js_dns_resolve(duk_context *ctx)
{
	char addr[64];
	if (resolve(heap_of(ctx), duk_safe_to_string(ctx, 0), addr, sizeof(addr)))
		duk_push_string(ctx, addr);
	else
		duk_push_null(ctx);
	return 1;
}

static duk_ret_t js_my_ip_address(duk_context *ctx)
{
	pac_heap *h = heap_of(ctx);
	char addr[64] = "";
	uint32_t v;
	bool ok = h->env->my_address && h->env->my_address(h->env->ctx, addr, sizeof(addr));
	addr[sizeof(addr) - 1] = '\0';
	if (!ok || !parse_ipv4(addr, &v))
		pf_snprintf(addr, sizeof(addr), "127.0.0.1");
	duk_push_string(ctx, addr);
	return 1;
}

/* convert_addr("a.b.c.d") as Mozilla offers it: the address as an unsigned 32-bit number, 0 if none. */
static duk_ret_t js_convert_addr(duk_context *ctx)
{
	uint32_t v = 0;
	if (!parse_ipv4(duk_safe_to_string(ctx, 0), &v))
		v = 0;
	duk_push_uint(ctx, v);
	return 1;
}

static duk_ret_t js_alert(duk_context *ctx)
{
	(void)ctx; /* PAC files call it for debugging; nobody is watching here */
	return 0;
}

/*
 * The helpers that need no environment, in JavaScript, written from the PAC interface's documented
 * behaviour (Netscape's 1996 description, Mozilla's and Microsoft's pages):
 *  - host names compare without regard to case (DNS does not care; browsers lowercase them);
 *  - shExpMatch knows '*' (any run) and '?' (one character), everything else is literal;
 *  - weekdayRange, dateRange and timeRange take an optional trailing "GMT"; ranges may wrap
 *    (FRI to MON, DEC to FEB, 22 to 6); timeRange(h1, h2) is h1:00 up to but excluding h2:00,
 *    the forms with minutes or seconds include their end.
 */
static const char pac_helpers_js[] =
	"function isPlainHostName(host) { return String(host).indexOf('.') < 0; }\n"
	"function dnsDomainIs(host, domain) {\n"
	"  host = String(host).toLowerCase(); domain = String(domain).toLowerCase();\n"
	"  return host.length >= domain.length && host.substring(host.length - domain.length) === domain;\n"
	"}\n"
	"function localHostOrDomainIs(host, hostdom) {\n"
	"  host = String(host).toLowerCase(); hostdom = String(hostdom).toLowerCase();\n"
	"  if (host === hostdom) return true;\n"
	"  return host.indexOf('.') < 0 && hostdom.substring(0, host.length + 1) === host + '.';\n"
	"}\n"
	"function isResolvable(host) { return dnsResolve(host) !== null; }\n"
	"function isInNet(host, pattern, mask) {\n"
	"  var addr = dnsResolve(host);\n"
	"  if (addr === null) return false;\n"
	"  var a = convert_addr(addr), p = convert_addr(pattern), m = convert_addr(mask);\n"
	"  if (String(mask) !== '0.0.0.0' && m === 0) return false;\n"
	"  return ((a & m) >>> 0) === ((p & m) >>> 0);\n"
	"}\n"
	"function dnsDomainLevels(host) { return String(host).split('.').length - 1; }\n"
	"function shExpMatch(str, shexp) {\n"
	"  str = String(str); shexp = String(shexp);\n"
	"  var s = 0, p = 0, star = -1, mark = 0;\n"
	"  while (s < str.length) {\n"
	"    if (p < shexp.length && (shexp.charAt(p) === '?' || shexp.charAt(p) === str.charAt(s))) { s++; p++; }\n"
	"    else if (p < shexp.length && shexp.charAt(p) === '*') { star = p++; mark = s; }\n"
	"    else if (star >= 0) { p = star + 1; s = ++mark; }\n"
	"    else return false;\n"
	"  }\n"
	"  while (p < shexp.length && shexp.charAt(p) === '*') p++;\n"
	"  return p === shexp.length;\n"
	"}\n"
	"var __pf_days = ['SUN','MON','TUE','WED','THU','FRI','SAT'];\n"
	"var __pf_months = ['JAN','FEB','MAR','APR','MAY','JUN','JUL','AUG','SEP','OCT','NOV','DEC'];\n"
	"function __pf_args(args) {\n"
	"  var a = Array.prototype.slice.call(args), gmt = false;\n"
	"  if (a.length && String(a[a.length - 1]).toUpperCase() === 'GMT') { gmt = true; a.pop(); }\n"
	"  return { a: a, gmt: gmt };\n"
	"}\n"
	"function __pf_in(v, lo, hi) { return lo <= hi ? (v >= lo && v <= hi) : (v >= lo || v <= hi); }\n"
	"function weekdayRange() {\n"
	"  var x = __pf_args(arguments), d = new Date();\n"
	"  var today = x.gmt ? d.getUTCDay() : d.getDay();\n"
	"  var w1 = __pf_days.indexOf(String(x.a[0]).toUpperCase());\n"
	"  var w2 = x.a.length > 1 ? __pf_days.indexOf(String(x.a[1]).toUpperCase()) : w1;\n"
	"  if (w1 < 0 || w2 < 0) return false;\n"
	"  return __pf_in(today, w1, w2);\n"
	"}\n"
	"function dateRange() {\n"
	"  var x = __pf_args(arguments), d = new Date(), a = x.a;\n"
	"  var now = x.gmt ? { D: d.getUTCDate(), M: d.getUTCMonth(), Y: d.getUTCFullYear() }\n"
	"                  : { D: d.getDate(), M: d.getMonth(), Y: d.getFullYear() };\n"
	"  var v = [];\n"
	"  for (var i = 0; i < a.length; i++) {\n"
	"    var m = __pf_months.indexOf(String(a[i]).toUpperCase());\n"
	"    if (m >= 0) { v.push({ k: 'M', n: m }); continue; }\n"
	"    var n = Number(a[i]);\n"
	"    if (isNaN(n) || n !== Math.floor(n)) return false;\n"
	"    v.push(n >= 1 && n <= 31 ? { k: 'D', n: n } : { k: 'Y', n: n });\n"
	"  }\n"
	"  if (v.length === 0 || v.length % 2 && v.length !== 1 || v.length > 6) return false;\n"
	"  var half = v.length === 1 ? 1 : v.length / 2, lo = v.slice(0, half), hi = v.length === 1 ? lo : v.slice(half);\n"
	"  for (var j = 0; j < half; j++) if (lo[j].k !== hi[j].k) return false;\n"
	"  function key(parts, src) {\n"
	"    var k = 0;\n"
	"    for (var f = 0; f < 3; f++) {\n"
	"      var name = 'YMD'.charAt(f), seen = null;\n"
	"      for (var q = 0; q < parts.length; q++) if (parts[q].k === name) seen = src ? now[name] : parts[q].n;\n"
	"      if (seen !== null) k = k * 100 + seen; \n"
	"    }\n"
	"    return k;\n"
	"  }\n"
	"  var klo = key(lo, false), khi = key(hi, false), know = key(lo, true);\n"
	"  if (half === 1 && v.length === 1) return know === klo;\n"
	"  if (lo.some(function (p) { return p.k === 'Y'; })) return know >= klo && know <= khi;\n"
	"  return __pf_in(know, klo, khi);\n"
	"}\n"
	"function timeRange() {\n"
	"  var x = __pf_args(arguments), d = new Date(), a = x.a.map(Number);\n"
	"  var h = x.gmt ? d.getUTCHours() : d.getHours(), mi = x.gmt ? d.getUTCMinutes() : d.getMinutes();\n"
	"  var s = x.gmt ? d.getUTCSeconds() : d.getSeconds(), now = h * 3600 + mi * 60 + s;\n"
	"  for (var i = 0; i < a.length; i++) if (isNaN(a[i])) return false;\n"
	"  if (a.length === 1) return h === a[0];\n"
	"  if (a.length === 2) return a[0] <= a[1] ? (h >= a[0] && h < a[1]) : (h >= a[0] || h < a[1]);\n"
	"  if (a.length === 4) return __pf_in(now, a[0] * 3600 + a[1] * 60, a[2] * 3600 + a[3] * 60 + 59);\n"
	"  if (a.length === 6) return __pf_in(now, a[0] * 3600 + a[1] * 60 + a[2], a[3] * 3600 + a[4] * 60 + a[5]);\n"
	"  return false;\n"
	"}\n"
	/* Microsoft's IPv6-aware variants, answered with IPv4 (the firmware's network is IPv4). */
	"function dnsResolveEx(host) { var a = dnsResolve(host); return a === null ? '' : a; }\n"
	"function isResolvableEx(host) { return isResolvable(host); }\n"
	"function myIpAddressEx() { return myIpAddress(); }\n"
	"function isInNetEx(host, prefix) {\n"
	"  var m = /^([0-9.]+)\\/([0-9]+)$/.exec(String(prefix));\n"
	"  if (!m || Number(m[2]) > 32) return false;\n"
	"  var bits = Number(m[2]), mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;\n"
	"  return isInNet(host, m[1], [mask >>> 24, mask >>> 16 & 255, mask >>> 8 & 255, mask & 255].join('.'));\n"
	"}\n";

static duk_ret_t get_line_number(duk_context *ctx, void *udata)
{
	(void)udata;
	duk_get_prop_string(ctx, -1, "lineNumber");
	return 1;
}

/* "line N: message" from the error on top of the stack (or the bare message without a line). Both
 * reads are protected: a script can make lineNumber or toString throw. */
static void describe_error(duk_context *ctx, char *err, size_t cap)
{
	long line = 0;
	if (duk_is_error(ctx, -1)) {
		duk_dup(ctx, -1);
		if (duk_safe_call(ctx, get_line_number, NULL, 1, 1) == DUK_EXEC_SUCCESS && duk_is_number(ctx, -1))
			line = (long)duk_get_int(ctx, -1);
		duk_pop(ctx);
	}
	const char *msg = duk_safe_to_string(ctx, -1);
	size_t n = strlen(msg);
	if (line > 0) {
		/* The compiler's messages end in " (line N)" too: once is enough. */
		char tail[32];
		size_t tn = pf_snprintf(tail, sizeof(tail), " (line %ld)", line);
		if (n >= tn && !memcmp(msg + n - tn, tail, tn))
			n -= tn;
		pf_snprintf(err, cap, "line %ld: %.*s", line, (int)PF_MIN(n, 4096), msg);
	} else {
		pf_snprintf(err, cap, "%s", msg);
	}
}

typedef struct {
	pac_heap *h;
	const char *script;
	size_t len;
	size_t n;               /* calls, each with its URL and host from get() */
	pf_pac_get_fn get;
	pf_pac_answer_fn answer;
	void *each_ctx;
	uint32_t budget_ms;
	char *result;
	size_t cap;
	char *err;
	size_t err_cap;
	pf_status status;
} pac_job;

static bool contains(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (; *s; s++)
		if (!memcmp(s, word, n))
			return true;
	return false;
}

static pf_status fail(pac_job *job, duk_context *ctx, const char *stage)
{
	char what[200];
	describe_error(ctx, what, sizeof(what));
	if (job->h->timed_out) {
		pf_snprintf(job->err, job->err_cap, "cut off: %s ran past its time budget", stage);
		return PF_ERR_TIMEOUT;
	}
	/* Duktape retries a failed allocation after a garbage collection, so a cap reached once is no
	 * proof: its "alloc failed" error is, or the DoubleError it throws when building an error
	 * object failed too. */
	if ((job->h->cap_hit || job->h->pool_out) && (contains(what, "alloc failed") || contains(what, "DoubleError"))) {
		if (job->h->cap_hit)
			pf_snprintf(job->err, job->err_cap, "out of memory: %s needed more than %zu bytes (%s)", stage,
				    job->h->cap, what);
		else
			pf_snprintf(job->err, job->err_cap, "out of memory: the firmware's pool ran out in %s (%s)",
				    stage, what);
		return PF_ERR_NOMEM;
	}
	pf_snprintf(job->err, job->err_cap, "%s: %s", stage, what);
	return PF_ERR_INVALID;
}

static const struct {
	const char *name;
	duk_c_function fn;
	duk_idx_t nargs;
} pac_natives[] = {
	{ "dnsResolve", js_dns_resolve, 1 },
	{ "myIpAddress", js_my_ip_address, 0 },
	{ "convert_addr", js_convert_addr, 1 },
	{ "alert", js_alert, DUK_VARARGS },
};

/* Everything on one heap, inside duk_safe_call (run_protected): any API call can throw, if only for
 * lack of memory, and an error nobody catches sends Duktape into its fatal path (which itself
 * allocates: with the cap reached it recursed until the stack ran out). */
static pf_status run(pac_job *job, duk_context *ctx)
{
	for (size_t i = 0; i < PF_ARRAY_SIZE(pac_natives); i++) {
		duk_push_c_function(ctx, pac_natives[i].fn, pac_natives[i].nargs);
		duk_put_global_string(ctx, pac_natives[i].name);
	}
	duk_push_string(ctx, "pac-helpers");
	if (duk_pcompile_lstring_filename(ctx, 0, pac_helpers_js, sizeof(pac_helpers_js) - 1) != 0 ||
	    duk_pcall(ctx, 0) != DUK_EXEC_SUCCESS)
		return fail(job, ctx, "the helper functions");
	duk_pop(ctx);

	duk_push_string(ctx, "pac");
	if (duk_pcompile_lstring_filename(ctx, 0, job->script, job->len) != 0)
		return fail(job, ctx, "the PAC file does not compile");
	if (duk_pcall(ctx, 0) != DUK_EXEC_SUCCESS)
		return fail(job, ctx, "loading the PAC file");
	duk_pop(ctx);

	const char *entry = "FindProxyForURLEx";
	duk_get_global_string(ctx, entry);
	if (!duk_is_function(ctx, -1)) {
		duk_pop(ctx);
		entry = "FindProxyForURL";
		duk_get_global_string(ctx, entry);
		if (!duk_is_function(ctx, -1)) {
			pf_snprintf(job->err, job->err_cap, "the PAC file defines no function FindProxyForURL");
			return PF_ERR_INVALID;
		}
	}
	duk_pop(ctx); /* looked up again for each call: a script may redefine it */
	for (size_t i = 0; i < job->n; i++) {
		const char *url = "", *host = "";
		job->get(job->each_ctx, i, &url, &host);
		if (i > 0) /* every call its own budget; loading the file counted towards the first */
			job->h->deadline = job->h->env->ticks_ms(job->h->env->ctx) + job->budget_ms;
		duk_get_global_string(ctx, entry);
		duk_push_string(ctx, url);
		duk_push_string(ctx, host);
		if (duk_pcall(ctx, 2) != DUK_EXEC_SUCCESS)
			return fail(job, ctx, entry);
		if (!duk_is_string(ctx, -1)) {
			static const char *const types[] = { "nothing", "undefined", "null", "a boolean", "a number",
							     "a string", "an object", "a buffer", "a pointer", "a function" };
			duk_int_t t = duk_get_type(ctx, -1);
			pf_snprintf(job->err, job->err_cap, "%s returned %s, not a string", entry,
				    t >= 0 && (size_t)t < PF_ARRAY_SIZE(types) ? types[t] : "something else");
			return PF_ERR_INVALID;
		}
		duk_size_t n;
		const char *s = duk_get_lstring(ctx, -1, &n);
		if (n >= job->cap) {
			pf_snprintf(job->err, job->err_cap, "%s returned %zu bytes, more than the %zu that fit", entry,
				    (size_t)n, job->cap ? job->cap - 1 : 0);
			return PF_ERR_TOO_BIG;
		}
		memcpy(job->result, s, n);
		job->result[n] = '\0';
		duk_pop(ctx);
		if (job->answer)
			job->answer(job->each_ctx, i, job->result);
	}
	return PF_OK;
}

static duk_ret_t run_protected(duk_context *ctx, void *udata)
{
	pac_job *job = udata;
	job->status = run(job, ctx);
	return 0;
}

/* The heap's life; fatal errors come back to the setjmp here, where only *job (in memory) is used. */
static __attribute__((noinline)) pf_status eval_on_heap(pac_job *job)
{
	pac_heap *h = job->h;
	if (setjmp(h->fatal)) {
		/* A fatal engine error: its heap cannot be destroyed, so its blocks are freed one by one. */
		free_all(h);
		if (h->timed_out) {
			pf_snprintf(job->err, job->err_cap, "cut off: the PAC file ran past its time budget");
			return PF_ERR_TIMEOUT;
		}
		if (h->cap_hit || h->pool_out) {
			pf_snprintf(job->err, job->err_cap, "out of memory: %s (%s)", h->fatal_msg,
				    h->cap_hit ? "the cap" : "the firmware's pool");
			return PF_ERR_NOMEM;
		}
		pf_snprintf(job->err, job->err_cap, "the JavaScript engine failed: %s", h->fatal_msg);
		return PF_ERR_INVALID;
	}
	h->creating = true;
	duk_context *ctx = duk_create_heap(pac_alloc, pac_realloc, pac_free, h, fatal_handler);
	h->creating = false;
	if (!ctx) {
		free_all(h);
		pf_snprintf(job->err, job->err_cap, "out of memory: no room for the JavaScript engine (%zu bytes)",
			    h->cap);
		return PF_ERR_NOMEM;
	}
	job->status = PF_ERR_INVALID;
	pf_status st = duk_safe_call(ctx, run_protected, job, 0, 1) == DUK_EXEC_SUCCESS
			       ? job->status
			       : fail(job, ctx, "the JavaScript engine");
	duk_destroy_heap(ctx);
	free_all(h); /* nothing, unless Duktape leaked */
	return st;
}

pf_status pf_pac_eval_each(const void *script, size_t len, size_t n, pf_pac_get_fn get, pf_pac_answer_fn answer,
			   void *each_ctx, const pf_pac_env *env, uint32_t budget_ms, char *ret_result, size_t cap,
			   char *ret_err, size_t err_cap)
{
	char dummy;
	if (!ret_err || !err_cap) {
		ret_err = &dummy;
		err_cap = 1;
	}
	ret_err[0] = '\0';
	if (!script || !get || !env || !ret_result || !cap) {
		pf_snprintf(ret_err, err_cap, "invalid arguments");
		return PF_ERR_INVALID;
	}
	ret_result[0] = '\0';
	if (!env->ticks_ms) {
		pf_snprintf(ret_err, err_cap, "no clock to keep the time budget with");
		return PF_ERR_INVALID;
	}
	if (len > PF_PAC_SCRIPT_MAX) {
		pf_snprintf(ret_err, err_cap, "the PAC file has %zu bytes, more than %u", len, PF_PAC_SCRIPT_MAX);
		return PF_ERR_TOO_BIG;
	}
	const char *src = script;
	if (len >= 3 && (uint8_t)src[0] == 0xef && (uint8_t)src[1] == 0xbb && (uint8_t)src[2] == 0xbf) {
		src += 3; /* a UTF-8 byte order mark, as editors on Windows write */
		len -= 3;
	}

	pac_heap h = { .env = env, .cap = env->mem_cap ? env->mem_cap : PF_PAC_MEM_DEFAULT };
	h.deadline = env->ticks_ms(env->ctx) + budget_ms;
	int64_t secs;
	int32_t tz;
	clock_now(env, &secs, &tz);
	pac_tz_seconds = tz * 60;

	pac_job job = { .h = &h, .script = src, .len = len, .n = n, .get = get, .answer = answer, .each_ctx = each_ctx,
			.budget_ms = budget_ms, .result = ret_result, .cap = cap, .err = ret_err, .err_cap = err_cap };
	pf_status st = eval_on_heap(&job);
	if (st != PF_OK)
		ret_result[0] = '\0';
	return st;
}

typedef struct {
	const char *url, *host;
} one_call;

static void one_get(void *ctx, size_t i, const char **ret_url, const char **ret_host)
{
	(void)i;
	const one_call *c = ctx;
	*ret_url = c->url;
	*ret_host = c->host;
}

pf_status pf_pac_eval(const void *script, size_t len, const char *url, const char *host, const pf_pac_env *env,
		      uint32_t budget_ms, char *ret_result, size_t cap, char *ret_err, size_t err_cap)
{
	if (!url || !host) {
		if (ret_err && err_cap)
			pf_snprintf(ret_err, err_cap, "invalid arguments");
		return PF_ERR_INVALID;
	}
	one_call c = { url, host };
	return pf_pac_eval_each(script, len, 1, one_get, NULL, &c, env, budget_ms, ret_result, cap, ret_err, err_cap);
}
