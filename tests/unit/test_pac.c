/* PAC files evaluated by pf_pac_eval (common/pac.c, Duktape) with a fake network and clock. */
#include <time.h>
#include "testutil.h"
#include "pac.h"

typedef struct {
	const char *my_ip;
	int64_t now;     /* seconds since 1970 UTC */
	int32_t tz;      /* minutes east of UTC */
	int resolves;    /* how often resolve was asked */
} fake;

static bool fake_resolve(void *ctx, const char *host, char *ret, size_t cap)
{
	fake *f = ctx;
	f->resolves++;
	static const char *const table[][2] = {
		{ "intranet.corp.example", "10.1.2.3" },
		{ "wiki.corp.example", "10.1.9.9" },
		{ "www.example.com", "93.184.216.34" },
		{ "printer", "192.168.1.50" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(table); i++)
		if (!strcmp(host, table[i][0])) {
			snprintf(ret, cap, "%s", table[i][1]);
			return true;
		}
	return false;
}

static bool fake_my_address(void *ctx, char *ret, size_t cap)
{
	fake *f = ctx;
	if (!f->my_ip)
		return false;
	snprintf(ret, cap, "%s", f->my_ip);
	return true;
}

static bool fake_clock(void *ctx, int64_t *ret_unix, int32_t *ret_tz)
{
	fake *f = ctx;
	*ret_unix = f->now;
	*ret_tz = f->tz;
	return true;
}

static uint64_t real_ticks(void *ctx)
{
	(void)ctx;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Monday 2026-12-07 11:30:00 UTC, 12:30 in the fake's zone (+01:00). */
#define MONDAY_1130_UTC 1796643000

static fake the_fake;
static pf_pac_env env = { .ctx = &the_fake, .resolve = fake_resolve, .my_address = fake_my_address,
			  .wall_clock = fake_clock, .ticks_ms = real_ticks };

static void setup_fake(const char *my_ip)
{
	the_fake = (fake){ .my_ip = my_ip, .now = MONDAY_1130_UTC, .tz = 60 };
}

static pf_status eval(const char *script, const char *url, const char *host, char *out, size_t cap, char *err)
{
	return pf_pac_eval(script, strlen(script), url, host, &env, 2000, out, cap, err, 200);
}

/* Expects script(url, host) to answer want. */
static void expect(const char *script, const char *url, const char *host, const char *want)
{
	char out[256], err[200];
	pf_status st = eval(script, url, host, out, sizeof(out), err);
	if (st != PF_OK)
		fail_msg("%s: %s (%s)", url, pf_status_str(st), err);
	if (strcmp(out, want))
		fail_msg("%s: '%s', expected '%s'", url, out, want);
}

/* A corporate PAC as they come: exceptions first, then by subnet, then a fallback list. */
static const char corp_pac[] =
	"// Corp proxy configuration\n"
	"function FindProxyForURL(url, host) {\n"
	"  host = host.toLowerCase();\n"
	"  if (isPlainHostName(host) || localHostOrDomainIs(host, 'printer.corp.example'))\n"
	"    return 'DIRECT';\n"
	"  if (dnsDomainIs(host, '.corp.example') && !dnsDomainIs(host, 'www.corp.example'))\n"
	"    return 'DIRECT';\n"
	"  var noproxy = ['*.microsoftonline.com', '*.windowsupdate.com', 'login.live.com', '*.msftconnecttest.com'];\n"
	"  for (var i = 0; i < noproxy.length; i++)\n"
	"    if (shExpMatch(host, noproxy[i])) return 'DIRECT';\n"
	"  if (shExpMatch(url, 'http://10.*') || isInNet(host, '192.168.0.0', '255.255.0.0'))\n"
	"    return 'DIRECT';\n"
	"  if (isInNet(myIpAddress(), '10.20.0.0', '255.255.0.0'))\n"
	"    return 'PROXY proxy-b.corp.example:3128; PROXY proxy-a.corp.example:8080; DIRECT';\n"
	"  return 'PROXY proxy-a.corp.example:8080; PROXY proxy-b.corp.example:3128; DIRECT';\n"
	"}\n";

static void test_corporate(void **state)
{
	(void)state;
	setup_fake("10.10.4.20");
	expect(corp_pac, "http://intranet/", "intranet", "DIRECT");
	expect(corp_pac, "http://printer/", "printer", "DIRECT");
	expect(corp_pac, "https://wiki.corp.example/x", "wiki.corp.example", "DIRECT");
	expect(corp_pac, "https://www.corp.example/", "www.corp.example",
	       "PROXY proxy-a.corp.example:8080; PROXY proxy-b.corp.example:3128; DIRECT");
	expect(corp_pac, "https://login.microsoftonline.com/common", "login.microsoftonline.com", "DIRECT");
	expect(corp_pac, "https://LOGIN.LIVE.COM/", "LOGIN.LIVE.COM", "DIRECT");
	expect(corp_pac, "http://10.0.0.1/x", "10.0.0.1", "DIRECT");
	expect(corp_pac, "http://192.168.7.7/", "192.168.7.7", "DIRECT");
	expect(corp_pac, "https://ztd.dds.microsoft.com/", "ztd.dds.microsoft.com",
	       "PROXY proxy-a.corp.example:8080; PROXY proxy-b.corp.example:3128; DIRECT");
	/* The same file from the other site: the other proxy first. */
	setup_fake("10.20.1.5");
	expect(corp_pac, "https://ztd.dds.microsoft.com/", "ztd.dds.microsoft.com",
	       "PROXY proxy-b.corp.example:3128; PROXY proxy-a.corp.example:8080; DIRECT");
	/* No address known: 127.0.0.1, as browsers answer. */
	setup_fake(NULL);
	expect("function FindProxyForURL(u, h) { return myIpAddress(); }", "http://x/", "x", "127.0.0.1");
}

static void test_helpers(void **state)
{
	(void)state;
	setup_fake("10.10.4.20");
	static const struct {
		const char *expr, *want;
	} cases[] = {
		{ "isPlainHostName('www')", "true" },
		{ "isPlainHostName('www.example.com')", "false" },
		{ "dnsDomainIs('www.Example.com', '.example.com')", "true" },
		{ "dnsDomainIs('www', '.example.com')", "false" },
		{ "localHostOrDomainIs('www.example.com', 'www.example.com')", "true" },
		{ "localHostOrDomainIs('www', 'www.example.com')", "true" },
		{ "localHostOrDomainIs('www.other.com', 'www.example.com')", "false" },
		{ "localHostOrDomainIs('home.example.com', 'www.example.com')", "false" },
		{ "isResolvable('www.example.com')", "true" },
		{ "isResolvable('nowhere.example')", "false" },
		{ "dnsResolve('www.example.com')", "93.184.216.34" },
		{ "dnsResolve('nowhere.example')", "null" },
		{ "dnsResolve('1.2.3.4')", "1.2.3.4" },
		{ "isInNet('intranet.corp.example', '10.0.0.0', '255.0.0.0')", "true" },
		{ "isInNet('www.example.com', '10.0.0.0', '255.0.0.0')", "false" },
		{ "isInNet('nowhere.example', '0.0.0.0', '0.0.0.0')", "false" },
		{ "isInNet('172.16.5.4', '172.16.0.0', '255.240.0.0')", "true" },
		{ "isInNet('172.32.5.4', '172.16.0.0', '255.240.0.0')", "false" },
		{ "isInNetEx('172.16.5.4', '172.16.0.0/12')", "true" },
		{ "dnsDomainLevels('www')", "0" },
		{ "dnsDomainLevels('www.example.com')", "2" },
		{ "shExpMatch('http://home.netscape.com/people/ari/index.html', '*/ari/*')", "true" },
		{ "shExpMatch('http://home.netscape.com/people/montulli/index.html', '*/ari/*')", "false" },
		{ "shExpMatch('a.b', 'a?b')", "true" },
		{ "shExpMatch('ab', 'a?b')", "false" },
		{ "shExpMatch('axxbyyb', 'a*b')", "true" },
		{ "shExpMatch('a.c', 'a.c*')", "true" },
		{ "shExpMatch('abc', 'a.c')", "false" },
		{ "shExpMatch('', '*')", "true" },
		{ "convert_addr('10.0.0.1')", "167772161" },
		/* Monday 12:30 local (+01:00), 11:30 UTC, 7 December 2026. */
		{ "weekdayRange('MON')", "true" },
		{ "weekdayRange('MON', 'FRI')", "true" },
		{ "weekdayRange('SAT', 'SUN')", "false" },
		{ "weekdayRange('FRI', 'MON')", "true" },
		{ "weekdayRange('TUE', 'GMT')", "false" },
		{ "timeRange(12)", "true" },
		{ "timeRange(11, 'GMT')", "true" },
		{ "timeRange(9, 17)", "true" },
		{ "timeRange(12, 12)", "false" },
		{ "timeRange(22, 6)", "false" },
		{ "timeRange(12, 0, 12, 30)", "true" },
		{ "timeRange(12, 31, 13, 0)", "false" },
		{ "timeRange(12, 30, 0, 12, 30, 0)", "true" },
		{ "dateRange(7)", "true" },
		{ "dateRange('DEC')", "true" },
		{ "dateRange(2026)", "true" },
		{ "dateRange(1, 15)", "true" },
		{ "dateRange('NOV', 'FEB')", "true" },
		{ "dateRange('JAN', 'MAR')", "false" },
		{ "dateRange(1, 'DEC', 31, 'DEC')", "true" },
		{ "dateRange(8, 'DEC', 31, 'DEC')", "false" },
		{ "dateRange('OCT', 2026, 'JAN', 2027)", "true" },
		{ "dateRange(1, 'JAN', 2027, 1, 'FEB', 2027)", "false" },
		{ "dateRange(2020, 2030)", "true" },
		{ "new Date().toISOString()", "2026-12-07T11:30:00.000Z" },
		{ "new Date().getHours()", "12" },
		/* The engine's numbers: exact printing and parsing, our math. */
		{ "String(0.1 + 0.2)", "0.30000000000000004" },
		{ "String(parseFloat('1.7976931348623157e308'))", "1.7976931348623157e+308" },
		{ "String(5e-324)", "5e-324" },
		{ "(123.456).toFixed(2)", "123.46" },
		{ "String(Math.pow(2, 10) + Math.floor(-2.5) + Math.sqrt(16) + 7 % 3)", "1026" },
		{ "String(Math.round(Math.sin(Math.PI / 2) * 1000) / 1000)", "1" },
		{ "String(Math.log10(1000))", "3" },
		{ "String(2 ** -3)", "0.125" },
		{ "JSON.stringify({ a: [1, 'x'] })", "{\"a\":[1,\"x\"]}" },
		{ "/^(\\d+)\\.corp$/.exec('42.corp')[1]", "42" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		char script[400];
		snprintf(script, sizeof(script), "function FindProxyForURL(url, host) { return String(%s); }",
			 cases[i].expr);
		char out[256], err[200];
		pf_status st = eval(script, "http://x/", "x", out, sizeof(out), err);
		if (st != PF_OK)
			fail_msg("%s: %s (%s)", cases[i].expr, pf_status_str(st), err);
		if (strcmp(out, cases[i].want))
			fail_msg("%s: '%s', expected '%s'", cases[i].expr, out, cases[i].want);
	}
}

/* Errors and what pf_pac_eval says about them. */
static void expect_error(const char *script, pf_status want, const char *msg)
{
	char out[64], err[200];
	pf_status st = eval(script, "http://x/", "x", out, sizeof(out), err);
	if (st != want)
		fail_msg("%s: %s, expected %s (%s)", script, pf_status_str(st), pf_status_str(want), err);
	if (!strstr(err, msg))
		fail_msg("'%s' does not say '%s'", err, msg);
	assert_string_equal(out, "");
}

static void test_errors(void **state)
{
	(void)state;
	setup_fake("10.10.4.20");
	expect_error("function FindProxyForURL(url, host) {\n"
		     "  if (host == 'a')\n"
		     "    return 'DIRECT';\n"
		     "  return 'PROXY p:1\n"
		     "}\n",
		     PF_ERR_INVALID, "the PAC file does not compile: line 4: SyntaxError: unterminated string");
	{
		char out[8], err[200];
		const char *s = "function FindProxyForURL(u, h) {\n  return 'x\n}";
		assert_int_equal(eval(s, "u", "h", out, sizeof(out), err), PF_ERR_INVALID);
		assert_null(strstr(err, "(line")); /* the line once, in front */
	}
	expect_error("function FindProxyForURL(url, host) {\n  return 'DIRECT'\n", PF_ERR_INVALID, "SyntaxError");
	expect_error("function FindProxyForURL(url, host) {\n"
		     "  var x = 1;\n"
		     "  return undefinedHelper(host);\n"
		     "}\n",
		     PF_ERR_INVALID, "line 3: ReferenceError: identifier 'undefinedHelper' undefined");
	expect_error("var x = null;\nx.y = 1;\nfunction FindProxyForURL(u, h) { return 'DIRECT'; }", PF_ERR_INVALID,
		     "loading the PAC file: line 2: TypeError");
	expect_error("function FindProxyForURL(url, host) { return 8080; }", PF_ERR_INVALID,
		     "FindProxyForURL returned a number, not a string");
	expect_error("function FindProxyForURL(url, host) { }", PF_ERR_INVALID, "returned undefined, not a string");
	expect_error("function FindProxyForURL(url, host) { return null; }", PF_ERR_INVALID, "returned null");
	expect_error("function FindProxyForURL(url, host) { return ['DIRECT']; }", PF_ERR_INVALID,
		     "returned an object");
	expect_error("function findProxyForUrl(url, host) { return 'DIRECT'; }", PF_ERR_INVALID,
		     "defines no function FindProxyForURL");
	expect_error("var FindProxyForURL = 'DIRECT';", PF_ERR_INVALID, "defines no function FindProxyForURL");
	expect_error("function FindProxyForURL(url, host) { throw new Error('no proxy for you'); }", PF_ERR_INVALID,
		     "FindProxyForURL: line 1: Error: no proxy for you");
	/* An error whose lineNumber and toString throw is still reported. */
	expect_error("function FindProxyForURL(u, h) {\n"
		     "  var e = new Error('x');\n"
		     "  Object.defineProperty(e, 'lineNumber', { get: function () { throw 1; } });\n"
		     "  e.toString = function () { throw 2; };\n"
		     "  throw e;\n"
		     "}\n",
		     PF_ERR_INVALID, "FindProxyForURL: ");
	/* An answer longer than the caller's buffer. */
	expect_error("function FindProxyForURL(url, host) { return new Array(100).join('PROXY a:1; '); }",
		     PF_ERR_TOO_BIG, "more than the 63 that fit");
	/* Memory: a script that grows without end meets the cap. */
	pf_pac_env small = env;
	small.mem_cap = 1024 * 1024;
	char out[64], err[200];
	const char *hog = "var a = []; function FindProxyForURL(u, h) { for (;;) a.push('x' + a.length); }";
	assert_int_equal(pf_pac_eval(hog, strlen(hog), "http://x/", "x", &small, 5000, out, sizeof(out), err,
				     sizeof(err)),
			 PF_ERR_NOMEM);
	assert_non_null(strstr(err, "more than 1048576 bytes"));
	/* Too little memory even to start. */
	small.mem_cap = 1000;
	assert_int_equal(pf_pac_eval(hog, strlen(hog), "http://x/", "x", &small, 5000, out, sizeof(out), err,
				     sizeof(err)),
			 PF_ERR_NOMEM);
	/* Every cap from far too small to enough: an answer or NOMEM, never a crash, nothing left behind
	 * (ASan's leak check). Duktape's heap creation needs about 70 KiB, a typical PAC about 125 KiB. */
	bool some_ok = false, some_nomem = false;
	for (size_t c = 2048; c < 200 * 1024; c += 3001) {
		small.mem_cap = c;
		char answer[128];
		pf_status st = pf_pac_eval(corp_pac, strlen(corp_pac), "https://a.example/", "a.example", &small, 5000,
					   answer, sizeof(answer), err, sizeof(err));
		if (st == PF_OK)
			some_ok = true;
		else if (st == PF_ERR_NOMEM)
			some_nomem = true;
		else
			fail_msg("cap %zu: %s (%s)", c, pf_status_str(st), err);
	}
	assert_true(some_ok && some_nomem);
	/* No clock: no budget can be kept. */
	pf_pac_env noclock = env;
	noclock.ticks_ms = NULL;
	assert_int_equal(pf_pac_eval(hog, strlen(hog), "http://x/", "x", &noclock, 5000, out, sizeof(out), err,
				     sizeof(err)),
			 PF_ERR_INVALID);
}

static void expect_cut_off(const char *script, uint32_t budget)
{
	char out[64], err[200];
	uint64_t t0 = real_ticks(NULL);
	pf_status st = pf_pac_eval(script, strlen(script), "http://x/", "x", &env, budget, out, sizeof(out), err,
				   sizeof(err));
	uint64_t took = real_ticks(NULL) - t0;
	print_message("cut off after %llu ms (budget %u): %s\n", (unsigned long long)took, budget, err);
	assert_int_equal(st, PF_ERR_TIMEOUT);
	assert_non_null(strstr(err, "ran past its time budget"));
	assert_true(took >= budget);
	assert_true(took < budget + 1000); /* generous: sanitizers and a loaded machine */
}

static void test_never_returns(void **state)
{
	(void)state;
	setup_fake("10.10.4.20");
	expect_cut_off("function FindProxyForURL(url, host) { while (true) {} }", 300);
	/* Catching the timeout does not help: it is thrown again. */
	expect_cut_off("function FindProxyForURL(url, host) {\n"
		       "  for (;;) { try { while (true) {} } catch (e) { } }\n"
		       "}\n",
		       300);
	/* Nor does looping at load time, or deep in recursion. */
	expect_cut_off("for (;;) {}\nfunction FindProxyForURL(url, host) { return 'DIRECT'; }", 200);
	expect_cut_off("function f(n) { return n ? f(n - 1) + f(n - 1) : 0; }\n"
		       "function FindProxyForURL(url, host) { f(60); return 'DIRECT'; }",
		       200);
}

static void test_details(void **state)
{
	(void)state;
	setup_fake("10.10.4.20");
	/* WinHTTP prefers FindProxyForURLEx when the file has both. */
	expect("function FindProxyForURL(u, h) { return 'PROXY old:1'; }\n"
	       "function FindProxyForURLEx(u, h) { return 'PROXY new:1'; }",
	       "http://x/", "x", "PROXY new:1");
	/* A UTF-8 byte order mark, and non-ASCII in comments and strings. */
	expect("\xef\xbb\xbf// Proxy f\xc3\xbcr M\xc3\xbcnchen\nfunction FindProxyForURL(u, h) { return 'DIRECT'; }",
	       "http://x/", "x", "DIRECT");
	/* url and host arrive as given. */
	expect("function FindProxyForURL(u, h) { return u + '|' + h; }", "https://a.example:8443/p?q=1", "a.example",
	       "https://a.example:8443/p?q=1|a.example");
	/* alert() is there and does nothing. */
	expect("function FindProxyForURL(u, h) { alert('checking ' + h); return 'DIRECT'; }", "http://x/", "x",
	       "DIRECT");
	/* Each call starts fresh: globals from an earlier evaluation are gone. */
	expect("var n = (typeof n === 'number') ? n + 1 : 1; function FindProxyForURL(u, h) { return String(n); }",
	       "http://x/", "x", "1");
	expect("var n = (typeof n === 'number') ? n + 1 : 1; function FindProxyForURL(u, h) { return String(n); }",
	       "http://x/", "x", "1");
	/* Over the size limit: refused before compiling. */
	char out[8], err[200];
	assert_int_equal(pf_pac_eval("x", PF_PAC_SCRIPT_MAX + 1, "u", "h", &env, 100, out, sizeof(out), err, sizeof(err)),
			 PF_ERR_TOO_BIG);
}

/* Hostile nesting meets common/pac_duk_config.h's recursion limits as a RangeError (the C stack it
 * may take is measured in the firmware by tests/qemu/pactest.c), while what real PAC files do passes. */
static void test_hostile(void **state)
{
	(void)state;
	setup_fake("10.10.4.20");
	static char nested[3 * 3000 + 200];
	strcpy(nested, "function FindProxyForURL(u, h) { return String(");
	size_t k = strlen(nested);
	memset(nested + k, '(', 3000);
	nested[k + 3000] = '1';
	memset(nested + k + 3001, ')', 3000);
	strcpy(nested + k + 6001, "); }");
	static const struct {
		const char *script, *msg;
	} cases[] = {
		{ "function f(n) { return n ? [n - 1].map(f)[0] : 0 } function FindProxyForURL(u, h) { return String(f(3000)); }",
		  "RangeError: C stack depth limit" },
		{ "function FindProxyForURL(u, h) { var o = {}; for (var i = 0; i < 3000; i++) o = { a: o }; return JSON.stringify(o); }",
		  "RangeError: encode recursion limit" },
		{ "function FindProxyForURL(u, h) { return String(JSON.parse(new Array(3000).join('[') + new Array(3000).join(']'))); }",
		  "RangeError: decode recursion limit" },
		{ "function FindProxyForURL(u, h) { return String(/(a|b)*c/.test(new Array(3001).join('ab') + 'c')); }",
		  "RangeError: regexp executor recursion limit" },
		{ "function FindProxyForURL(u, h) { return String(/(x+x+)+y/.test(new Array(40).join('x'))); }",
		  "RangeError: regexp step limit" },
		{ nested, "the PAC file does not compile: line 1: RangeError: compiler recursion limit" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++)
		expect_error(cases[i].script, PF_ERR_INVALID, cases[i].msg);
	/* Patterns and nesting as PAC files have them, on the longest host name DNS allows. A group
	 * repeated per character costs about five levels of the matcher's 256 (docs/pac.md, limits). */
	expect("function FindProxyForURL(u, h) {\n"
	       "  var ok = /^(?:[a-z0-9-]+\\.)*corp\\.example$/i.test(h) && /^(.*\\.)?corp\\.example$/.test(h) &&\n"
	       "    /^[a-z.]*corp\\.example$/.test(h) && /^([a-z]|\\.)*corp\\.example$/.test(h.substring(210)) &&\n"
	       "    [1, 2, 3].map(function (x) { return [x].map(String); }).length === 3;\n"
	       "  return ok ? 'DIRECT' : 'PROXY p:1';\n"
	       "}",
	       "http://x/", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb."
	       "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc.ddddddddddddddddddddddddddddddddddddddddddddddddd.corp.example",
	       "DIRECT");
}

/* How long a typical PAC takes (host, sanitizers on): printed, not asserted. */
/* Many calls in one engine: state carried from call to call (as a loaded PAC keeps it), each answer given,
 * and the first failure ends it with the answers before it standing. */
typedef struct {
	const char *const *urls;
	char answers[8][64];
	size_t n_answers;
} each_ctx;

static void each_get(void *ctx, size_t i, const char **ret_url, const char **ret_host)
{
	each_ctx *e = ctx;
	*ret_url = e->urls[i];
	*ret_host = strstr(e->urls[i], "://") + 3;
}

static void each_answer(void *ctx, size_t i, const char *answer)
{
	each_ctx *e = ctx;
	assert_int_equal(i, e->n_answers);
	snprintf(e->answers[e->n_answers++], sizeof(e->answers[0]), "%s", answer);
}

static void test_each(void **state)
{
	(void)state;
	setup_fake("10.10.4.20");
	static const char *const urls[] = { "https://a", "https://b", "https://c", "https://d" };
	const char *counting = "var calls = 0;\n"
			       "function FindProxyForURL(url, host) {\n"
			       "  calls++;\n"
			       "  if (host == 'c') throw new Error('no c here');\n"
			       "  return 'PROXY p' + calls + ':8080; DIRECT';\n"
			       "}\n";
	char out[128], err[200];
	each_ctx e = { .urls = urls };
	assert_int_equal(pf_pac_eval_each(counting, strlen(counting), 2, each_get, each_answer, &e, &env, 500, out,
					  sizeof(out), err, sizeof(err)), PF_OK);
	assert_int_equal(e.n_answers, 2);
	assert_string_equal(e.answers[0], "PROXY p1:8080; DIRECT");
	assert_string_equal(e.answers[1], "PROXY p2:8080; DIRECT"); /* the same engine: calls went on counting */
	e = (each_ctx){ .urls = urls };
	assert_int_equal(pf_pac_eval_each(counting, strlen(counting), 4, each_get, each_answer, &e, &env, 500, out,
					  sizeof(out), err, sizeof(err)), PF_ERR_INVALID);
	assert_int_equal(e.n_answers, 2);
	assert_non_null(strstr(err, "line 4"));
	assert_non_null(strstr(err, "no c here"));
	/* Each call has its budget: a script slow only for 'b' is cut off there, 'a' answered. */
	const char *slow_b = "function FindProxyForURL(url, host) { if (host == 'b') for (;;) {} return 'DIRECT'; }";
	e = (each_ctx){ .urls = urls };
	assert_int_equal(pf_pac_eval_each(slow_b, strlen(slow_b), 3, each_get, each_answer, &e, &env, 200, out,
					  sizeof(out), err, sizeof(err)), PF_ERR_TIMEOUT);
	assert_int_equal(e.n_answers, 1);
	assert_string_equal(e.answers[0], "DIRECT");
	/* No calls: the file is still loaded and checked. */
	e = (each_ctx){ .urls = urls };
	assert_int_equal(pf_pac_eval_each("function F(", 11, 0, each_get, each_answer, &e, &env, 200, out, sizeof(out),
					  err, sizeof(err)), PF_ERR_INVALID);
}

static void test_timing(void **state)
{
	(void)state;
	setup_fake("10.10.4.20");
	struct timespec a, b;
	enum { N = 50 };
	char out[256], err[200];
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < N; i++)
		assert_int_equal(eval(corp_pac, "https://ztd.dds.microsoft.com/", "ztd.dds.microsoft.com", out,
				      sizeof(out), err),
				 PF_OK);
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ms = ((double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6) / N;
	print_message("typical PAC: %.2f ms per evaluation (new heap, helpers, script, call)\n", ms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corporate),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_never_returns),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_each),
		cmocka_unit_test(test_timing),
	};
	return cmocka_run_group_tests_name("pac", tests, NULL, NULL);
}
