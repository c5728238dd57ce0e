/*
 * The PAC engine inside the firmware: Duktape, efi/libc.c and common/pfmath.c as the EFI build
 * compiles them, run under OVMF. Prints one line per check, then "PACTEST: N passed, N failed", and
 * powers off. Built by `make build/pactest.efi`, run by tests/qemu/run-pactest.
 */
#include <efi.h>
#include <efilib.h>
#include "pac.h"
#include "pftime.h"
#include "arch.h"

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

/* Pool memory, as efi/mem.c gives it to the real application (without its usage counters). */
void *pf_malloc(size_t n)
{
	void *p = NULL;
	if (BS->AllocatePool(EfiLoaderData, n + 16, &p) != EFI_SUCCESS)
		return NULL;
	*(size_t *)p = n;
	return (uint8_t *)p + 16;
}

void pf_free(void *p)
{
	if (p)
		BS->FreePool((uint8_t *)p - 16);
}

void *pf_realloc(void *p, size_t n)
{
	if (!p)
		return pf_malloc(n);
	size_t old = *(size_t *)((uint8_t *)p - 16);
	void *q = pf_malloc(n);
	if (!q)
		return NULL;
	memcpy(q, p, old < n ? old : n);
	pf_free(p);
	return q;
}

static uint64_t tsc_per_ms;

static uint64_t ticks_ms(void *ctx)
{
	(void)ctx;
	return arch_ticks() / tsc_per_ms;
}

static bool wall_clock(void *ctx, int64_t *ret_unix, int32_t *ret_tz)
{
	(void)ctx;
	EFI_TIME t;
	if (RT->GetTime(&t, NULL) != EFI_SUCCESS)
		return false;
	pf_time pt = { .year = t.Year, .month = t.Month, .day = t.Day, .hour = t.Hour, .minute = t.Minute,
		       .second = t.Second };
	*ret_unix = pf_time_to_unix(&pt);
	*ret_tz = 0;
	return true;
}

static bool resolve(void *ctx, const char *host, char *ret, size_t cap)
{
	(void)ctx;
	if (cap < 16 || strlen(host) != 21 || memcmp(host, "intranet.corp.example", 21))
		return false;
	memcpy(ret, "10.1.2.3", 9);
	return true;
}

static bool my_address(void *ctx, char *ret, size_t cap)
{
	(void)ctx;
	if (cap < 16)
		return false;
	memcpy(ret, "10.20.1.5", 10);
	return true;
}

static const pf_pac_env env = { .resolve = resolve, .my_address = my_address, .wall_clock = wall_clock,
				.ticks_ms = ticks_ms };

static int passed, failed;

/* One evaluation; want_status and a prefix of the answer (or of the error) to expect. */
static void check(const char *name, const char *script, uint32_t budget, pf_status want_status, const char *want)
{
	char out[160], err[160];
	uint64_t t0 = ticks_ms(NULL);
	pf_status st = pf_pac_eval(script, strlen(script), "https://ztd.dds.microsoft.com/", "ztd.dds.microsoft.com",
				   &env, budget, out, sizeof(out), err, sizeof(err));
	uint64_t took = ticks_ms(NULL) - t0;
	const char *got = st == PF_OK ? out : err;
	bool ok = st == want_status && strlen(got) >= strlen(want) && !memcmp(got, want, strlen(want));
	Print(L"PACTEST %a: %a in %lu ms: %a\r\n", name, ok ? "ok" : "FAILED", took, got);
	if (ok)
		passed++;
	else
		failed++;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	InitializeLib(image, systab);
	uint64_t t0 = arch_ticks();
	BS->Stall(100000);
	tsc_per_ms = (arch_ticks() - t0) / 100;
	if (!tsc_per_ms)
		tsc_per_ms = 1;

	check("corporate", "function FindProxyForURL(url, host) {\n"
			   "  if (isPlainHostName(host) || dnsDomainIs(host, '.corp.example')) return 'DIRECT';\n"
			   "  if (shExpMatch(host, '*.microsoftonline.com')) return 'DIRECT';\n"
			   "  if (isInNet(myIpAddress(), '10.20.0.0', '255.255.0.0'))\n"
			   "    return 'PROXY proxy-b:3128; PROXY proxy-a:8080; DIRECT';\n"
			   "  return 'PROXY proxy-a:8080; DIRECT';\n"
			   "}\n",
	      2000, PF_OK, "PROXY proxy-b:3128; PROXY proxy-a:8080; DIRECT");
	check("dns", "function FindProxyForURL(u, h) { return dnsResolve('intranet.corp.example') + ' ' +"
		     " isResolvable('nowhere') + ' ' + isInNet('intranet.corp.example', '10.0.0.0', '255.0.0.0'); }",
	      2000, PF_OK, "10.1.2.3 false true");
	check("numbers", "function FindProxyForURL(u, h) { return [0.1 + 0.2, 1e21, 5e-324, (123.456).toFixed(2),"
			 " parseFloat('3.14159'), Math.pow(2, 0.5), Math.floor(-2.5), 7.5 % 2, Math.log10(1000),"
			 " Math.round(Math.sin(Math.PI / 6) * 1e6) / 1e6].join(' '); }",
	      2000, PF_OK, "0.30000000000000004 1e+21 5e-324 123.46 3.14159 1.4142135623730951 -3 1.5 3 0.5");
	check("date", "function FindProxyForURL(u, h) { var y = new Date().getUTCFullYear();"
		      " return (y >= 2020 && y < 2100 && weekdayRange('SUN', 'SAT') && timeRange(0, 24)) + ''; }",
	      2000, PF_OK, "true");
	check("regexp-json", "function FindProxyForURL(u, h) { return /^ztd\\.(\\w+)\\./.exec(h)[1] + JSON.stringify({a: [1]}); }",
	      2000, PF_OK, "dds{\"a\":[1]}");
	check("syntax-error", "function FindProxyForURL(url, host) {\n  return 'DIRECT\n}\n", 2000, PF_ERR_INVALID,
	      "the PAC file does not compile: line 2");
	check("non-string", "function FindProxyForURL(u, h) { return 42; }", 2000, PF_ERR_INVALID,
	      "FindProxyForURL returned a number");
	check("never-returns", "function FindProxyForURL(u, h) { for (;;) { try { while (1) {} } catch (e) {} } }", 500,
	      PF_ERR_TIMEOUT, "cut off: FindProxyForURL ran past its time budget");
	pf_pac_env small = env;
	small.mem_cap = 512 * 1024;
	char out[64], err[160];
	const char *hog = "var a = []; function FindProxyForURL(u, h) { for (;;) a.push('x' + a.length); }";
	pf_status st = pf_pac_eval(hog, strlen(hog), "http://x/", "x", &small, 5000, out, sizeof(out), err, sizeof(err));
	bool ok = st == PF_ERR_NOMEM;
	Print(L"PACTEST memory-cap: %a: %a\r\n", ok ? "ok" : "FAILED", err);
	if (ok)
		passed++;
	else
		failed++;

	/* The C stack the hostile cases take (common/pac_duk_config.h's recursion limits): the 60 KiB
	 * below here are painted, the cases run, and the deepest unpainted byte tells. */
	{
		enum { PAINT = 60 * 1024 };
		static const char *const deep[] = {
			"function f(n) { return n ? [n - 1].map(f)[0] : 0 } function FindProxyForURL(u, h) { return String(f(3000)); }",
			"function FindProxyForURL(u, h) { var o = {}; for (var i = 0; i < 3000; i++) o = { a: o }; return JSON.stringify(o); }",
			"function FindProxyForURL(u, h) { return String(/(a|b)*c/.test(new Array(3001).join('ab') + 'c')); }",
			"function FindProxyForURL(u, h) { return String(/(x+x+)+y/.test(new Array(40).join('x'))); }",
			"function f(n) { return n ? { toString: function () { return String(f(n - 1)); } } + '' : '0' }\n"
			"function FindProxyForURL(u, h) { return f(3000); }",
		};
		static char nested[3 * 3000 + 200];
		size_t k = 0;
		const char *head = "function FindProxyForURL(u, h) { return String(";
		memcpy(nested, head, strlen(head));
		k = strlen(head);
		for (int i = 0; i < 3000; i++)
			nested[k++] = '(';
		nested[k++] = '1';
		for (int i = 0; i < 3000; i++)
			nested[k++] = ')';
		memcpy(nested + k, "); }", 5);
		volatile uint8_t *sp = (volatile uint8_t *)__builtin_frame_address(0);
		volatile uint8_t *low = sp - PAINT;
		for (volatile uint8_t *p = low; p < sp - 512; p++)
			*p = 0xa5;
		for (size_t i = 0; i <= PF_ARRAY_SIZE(deep); i++) {
			const char *src = i < PF_ARRAY_SIZE(deep) ? deep[i] : nested;
			pf_status dst = pf_pac_eval(src, strlen(src), "u", "h", &env, 5000, out, sizeof(out), err, sizeof(err));
			Print(L"PACTEST stack case %d: %a\r\n", (int)i, dst == PF_OK ? out : err);
		}
		size_t used = PAINT;
		for (volatile uint8_t *p = low; p < sp - 512 && *p == 0xa5; p++)
			used--;
		bool fits = used < PAINT - 4096;
		Print(L"PACTEST stack: %a: hostile scripts used %lu bytes of C stack (painted %d)\r\n",
		      fits ? "ok" : "FAILED", (uint64_t)used, PAINT);
		if (fits)
			passed++;
		else
			failed++;
	}

	Print(L"PACTEST: %d passed, %d failed\r\n", passed, failed);
	RT->ResetSystem(EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	return EFI_SUCCESS;
}
