/* Network results to findings (codes, host, step, severity), clock-skew choice and the JSON object. */
#include "testutil.h"
#include "netresult.h"
#include "netservice.h"

static pf_config cfg(void)
{
	pf_config c = { .network_enabled = true, .network_timeout_ms = 5000, .dhcp_timeout_ms = 15000,
			.max_clock_skew_s = 300 };
	return c;
}

static void healthy(pf_net_result *r, pf_endpoints *eps)
{
	char err[100];
	*r = (pf_net_result){ .reached = PF_NET_STAGE_CHECKS, .n_nics = 1, .n_wired = 1, .n_wired_media = 1,
			      .has_ipv4 = true, .ipv4 = "192.168.77.50", .netmask = "255.255.255.0" };
	assert_int_equal(pf_endpoints_build(NULL, NULL, eps, err, sizeof(err)), PF_OK);
	assert_int_equal(pf_net_result_init(r, eps), PF_OK);
	for (size_t i = 0; i < r->n_checks; i++)
		r->checks[i].status = PF_CHK_OK;
}

/* The network object as the report writes it, into b; its text. */
static char *net_json(const pf_net_result *r, pf_buf *b)
{
	pf_json j;
	pf_json_init(&j, b);
	pf_json_obj_begin(&j, NULL);
	pf_net_json(&j, "network", r);
	pf_json_obj_end(&j);
	assert_false(b->oom);
	return b->p;
}

static pf_net_check *find(pf_net_result *r, const char *host)
{
	for (size_t i = 0; i < r->n_checks; i++)
		if (strcmp(r->checks[i].ep.host, host) == 0)
			return &r->checks[i];
	fail_msg("no check for %s", host);
	return NULL;
}

static void test_stages(void **state)
{
	(void)state;
	pf_config c = cfg();
	pf_findings f = { 0 };
	pf_net_result r = { 0 };
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.items[0].code, PF_NET_NO_NIC);
	pf_findings_free(&f);
	r = (pf_net_result){ .n_nics = 2, .n_wireless = 2 };
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.items[0].code, PF_NET_WIFI_ONLY);
	assert_int_equal(f.items[0].severity, PF_SEV_WARN);
	pf_findings_free(&f);
	r = (pf_net_result){ .n_nics = 1, .n_wired = 1 };
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.items[0].code, PF_NET_NO_LINK);
	pf_findings_free(&f);
	r = (pf_net_result){ .n_nics = 1, .n_wired = 1, .n_wired_media = 1, .reached = PF_NET_STAGE_DHCP };
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.items[0].code, PF_NET_DHCP_FAILED);
	assert_non_null(strstr(f.items[0].message, "15000 ms"));
	pf_findings_free(&f);
}

static void test_checks(void **state)
{
	(void)state;
	pf_config c = cfg();
	pf_findings f = { 0 };
	pf_net_result r;
	pf_endpoints eps;
	healthy(&r, &eps);
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 0);

	find(&r, "login.microsoftonline.com")->status = PF_CHK_DNS_FAILED;
	pf_net_check *k = find(&r, "ztd.dds.microsoft.com");
	k->status = PF_CHK_TCP_TIMEOUT;
	strcpy(k->addr, "192.168.77.10");
	strcpy(k->detail, "no answer within 5000 ms");
	find(&r, "www.msftconnecttest.com")->status = PF_CHK_NCSI_WRONG;
	find(&r, "ftpm.amd.com")->status = PF_CHK_TCP_REFUSED;
	find(&r, "time.windows.com")->status = PF_CHK_NTP_FAILED;
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 4);
	assert_int_equal(f.items[0].code, PF_NET_NCSI_FAILED); /* table order */
	assert_int_equal(f.items[0].severity, PF_SEV_WARN);
	assert_int_equal(f.items[1].code, PF_NET_TCP_BLOCKED);
	assert_int_equal(f.items[1].step, PF_STEP_SIGN_IN);
	assert_string_equal(f.items[1].detail,
			    "host=ztd.dds.microsoft.com port=443 step=sign-in status=tcp-timeout addr=192.168.77.10: no answer "
			    "within 5000 ms");
	assert_int_equal(f.items[2].code, PF_NET_DNS_FAILED);
	assert_non_null(strstr(f.items[2].message, "login.microsoftonline.com"));
	/* The finding names the service first, as the allow-lists do. */
	assert_string_equal(f.items[1].message, "Autopilot Deployment Service: https ztd.dds.microsoft.com:443 "
			    "does not answer connections (Entra ID sign-in).");
	assert_int_equal(f.items[3].code, PF_NET_TCP_BLOCKED);
	assert_int_equal(f.items[3].severity, PF_SEV_WARN); /* optional endpoint */
	assert_int_equal(f.items[3].step, PF_STEP_ESP_DEVICE);
	pf_findings_free(&f);

	/* network.required_services turns an optional service's failures into errors, and only its own. */
	for (size_t i = 0; i < r.n_checks; i++)
		r.checks[i].status = PF_CHK_OK;
	find(&r, "displaycatalog.mp.microsoft.com")->status = PF_CHK_TCP_TIMEOUT;
	find(&r, "fe3.delivery.mp.microsoft.com")->status = PF_CHK_TLS_UNTRUSTED;
	char err[200];
	assert_int_equal(pf_services_parse(" Store ,", 8, &c.network_required_services, err, sizeof(err)), PF_OK);
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.items[0].code, PF_NET_TLS_UNTRUSTED);
	assert_int_equal(f.items[0].severity, PF_SEV_WARN);
	assert_non_null(strstr(f.items[0].message, "Windows Update: https fe3.delivery.mp.microsoft.com:443"));
	assert_int_equal(f.items[1].code, PF_NET_TCP_BLOCKED);
	assert_int_equal(f.items[1].severity, PF_SEV_ERROR);
	assert_non_null(strstr(f.items[1].message, "Microsoft Store: "));
	pf_findings_free(&f);
	pf_net_result_free(&r);
	pf_endpoints_free(&eps);
}

static const pf_finding *find_code(const pf_findings *f, pf_code code)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->items[i].code == code)
			return &f->items[i];
	return NULL;
}

static void test_skew(void **state)
{
	(void)state;
	pf_config c = cfg();
	pf_findings f = { 0 };
	pf_net_result r;
	pf_endpoints eps;
	healthy(&r, &eps);
	pf_net_check *http = find(&r, "www.msftconnecttest.com");
	http->has_skew = true;
	http->skew_s = 100;
	pf_net_pick_skew(&r);
	assert_true(r.has_clock_skew);
	assert_int_equal(r.clock_skew_s, 100);
	assert_string_equal(r.clock_source, "http-date www.msftconnecttest.com");
	pf_net_check *ntp = find(&r, "time.windows.com");
	ntp->has_skew = true;
	ntp->skew_s = -3601;
	pf_net_pick_skew(&r);
	assert_int_equal(r.clock_skew_s, -3601);
	assert_string_equal(r.clock_source, "ntp time.windows.com");
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.items[0].code, PF_NET_CLOCK_SKEW);
	assert_non_null(strstr(f.items[0].message, "3601 s ahead of"));
	pf_findings_free(&f);
	c.max_clock_skew_s = 3601;
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 0);

	pf_buf b = { 0 };
	net_json(&r, &b);
	assert_non_null(strstr(b.p, "\"clock_skew_s\": -3601"));
	assert_non_null(strstr(b.p, "\"ipv4\": \"192.168.77.50\""));
	assert_non_null(strstr(b.p, "\"kind\": \"ntp\""));
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	assert_non_null(strstr(b.p, "clock skew -3601 s"));
	pf_buf_free(&b);

	/* An IPv4 time wins over an IPv6 one; without any IPv4 time (IPv6-only) the HTTP Date over IPv6 counts. */
	find(&r, "login.live.com")->v6.has_skew = true;
	find(&r, "login.live.com")->v6.skew_s = 700;
	pf_net_pick_skew(&r);
	assert_int_equal(r.clock_skew_s, -3601);
	http->has_skew = ntp->has_skew = false;
	pf_net_pick_skew(&r);
	assert_true(r.has_clock_skew);
	assert_int_equal(r.clock_skew_s, 700);
	assert_string_equal(r.clock_source, "http-date login.live.com over IPv6");
	ntp->v6.has_skew = true; /* NTP over UDP6 wins over an HTTP Date, as over IPv4 */
	ntp->v6.skew_s = 650;
	pf_net_pick_skew(&r);
	assert_int_equal(r.clock_skew_s, 650);
	assert_string_equal(r.clock_source, "ntp time.windows.com over IPv6");
	ntp->v6.has_skew = false;
	pf_net_pick_skew(&r);
	assert_int_equal(r.clock_skew_s, 700);
	c.max_clock_skew_s = 300;
	pf_net_findings(&r, &c, &f);
	assert_non_null(find_code(&f, PF_NET_CLOCK_SKEW));
	pf_findings_free(&f);
	find(&r, "login.live.com")->v6.has_skew = false;
	pf_net_pick_skew(&r);
	assert_false(r.has_clock_skew);
	assert_null(r.clock_source);
	pf_net_result_free(&r);
	pf_endpoints_free(&eps);
}

/* Per service: ok, blocked (every check that ran failed), partly blocked, not checked; config hosts as "other". */
static void test_services(void **state)
{
	(void)state;
	pf_net_result r;
	pf_endpoints eps;
	char err[100];
	healthy(&r, &eps);
	find(&r, "ztd.dds.microsoft.com")->status = PF_CHK_TCP_TIMEOUT;
	find(&r, "cs.dds.microsoft.com")->status = PF_CHK_TLS_UNTRUSTED;
	find(&r, "ekop.intel.com")->status = PF_CHK_DNS_FAILED;
	find(&r, "enterpriseenrollment.manage.microsoft.com")->status = PF_CHK_NOT_RUN;
	pf_net_service s[PF_NET_MAX_SERVICES];
	size_t n = pf_net_services(&r, s, PF_NET_MAX_SERVICES);
	size_t n_svc;
	pf_services(&n_svc);
	assert_int_equal(n, n_svc); /* every service has a row in the table */
	pf_buf out = { 0 };
	pf_net_services_text(&r, &out);
	assert_non_null(strstr(out.p, "  Autopilot Deployment Service: partly blocked (2 of 3 hosts)\n"));
	assert_non_null(strstr(out.p, "  TPM attestation: partly blocked (1 of 3 hosts)\n"));
	assert_non_null(strstr(out.p, "  Intune: not checked (1 host)\n"));
	assert_non_null(strstr(out.p, "  Microsoft Entra ID: ok (3 hosts)\n"));
	pf_buf_free(&out);
	/* Every failure an untrusted certificate: inspected, not blocked. */
	find(&r, "ztd.dds.microsoft.com")->status = PF_CHK_TLS_UNTRUSTED;
	find(&r, "swda01-mscdn.manage.microsoft.com")->status = PF_CHK_TLS_UNTRUSTED;
	pf_net_services_text(&r, &out);
	assert_non_null(strstr(out.p, "  Autopilot Deployment Service: partly TLS inspected (2 of 3 hosts)\n"));
	assert_non_null(strstr(out.p, "  Intune Win32 apps and scripts: partly TLS inspected (1 of 2 hosts)\n"));
	find(&r, "imeswda-afd-primary.manage.microsoft.com")->status = PF_CHK_TLS_UNTRUSTED;
	find(&r, "ekop.intel.com")->status = PF_CHK_TLS_UNTRUSTED;
	pf_buf_free(&out);
	pf_net_services_text(&r, &out);
	assert_non_null(strstr(out.p, "  Intune Win32 apps and scripts: TLS inspected (2 of 2 hosts)\n"));
	assert_non_null(strstr(out.p, "  TPM attestation: partly TLS inspected (1 of 3 hosts)\n"));
	pf_buf_free(&out);
	pf_net_result_free(&r);
	pf_endpoints_free(&eps);

	/* An extra endpoint from preflight.ini is its own group; the room limit folds the rest into the last. */
	assert_int_equal(pf_endpoints_build("http:www.msftconnecttest.com, tcp:intranet.contoso.test:8443", NULL, &eps,
					    err, sizeof(err)), PF_OK);
	r = (pf_net_result){ .reached = PF_NET_STAGE_CHECKS };
	assert_int_equal(pf_net_result_init(&r, &eps), PF_OK);
	n = pf_net_services(&r, s, PF_NET_MAX_SERVICES);
	assert_int_equal(n, 2);
	assert_string_equal(s[1].service, PF_SERVICE_OTHER);
	assert_string_equal(pf_net_service_state(&s[1]), "not checked");
	n = pf_net_services(&r, s, 1);
	assert_int_equal(n, 1);
	assert_int_equal(s[0].hosts, 2);
	pf_net_result_free(&r);
	pf_endpoints_free(&eps);
}

static size_t count_code(const pf_findings *f, pf_code code)
{
	size_t n = 0;
	for (size_t i = 0; i < f->n; i++)
		n += f->items[i].code == code;
	return n;
}

/* Through a proxy: 407s grouped per step (warn when only optional hosts), 403 per host, one finding for an
 * unusable proxy, the hand-configured proxy named; the path per check in JSON and text. */
static void test_proxy(void **state)
{
	(void)state;
	pf_config c = cfg();
	pf_findings f = { 0 };
	pf_net_result r;
	pf_endpoints eps;
	healthy(&r, &eps);
	r.proxy = (pf_net_proxies){ .source = PF_PROXY_CONFIGURED, .n = 1 };
	r.proxy.list[0] = (pf_net_proxy){ .at = { "proxy.contoso.test", 3128 }, .addr = "192.168.77.3" };
	size_t signin = 0;
	const pf_net_check *optional = NULL;
	for (size_t i = 0; i < r.n_checks; i++) {
		pf_net_check *k = &r.checks[i];
		k->via_proxy = pf_net_kind_proxied(k->ep.kind);
		k->n_route = k->via_proxy;
		k->route[0] = 1;
		if (k->via_proxy && k->ep.step == PF_STEP_SIGN_IN) {
			k->status = PF_CHK_PROXY_AUTH;
			strcpy(k->proxy_schemes, signin++ % 2 ? "Basic, NTLM" : "Negotiate, NTLM");
		} else if (k->via_proxy && k->ep.optional && k->ep.step != PF_STEP_SIGN_IN && !optional) {
			optional = k;
			k->status = PF_CHK_PROXY_AUTH;
			strcpy(k->proxy_schemes, "Basic");
		}
	}
	assert_true(signin >= 2);
	assert_non_null(optional);
	find(&r, "time.windows.com")->via_proxy = false;
	find(&r, "time.windows.com")->n_route = 0;
	pf_net_findings(&r, &c, &f);
	assert_int_equal(count_code(&f, PF_NET_PROXY_AUTH), 2);
	assert_int_equal(count_code(&f, PF_NET_PROXY_MANUAL), 1);
	assert_int_equal(count_code(&f, PF_NET_PROXY_UNREACHABLE), 0);
	for (size_t i = 0; i < f.n; i++) {
		const pf_finding *fd = &f.items[i];
		if (fd->code != PF_NET_PROXY_AUTH)
			continue;
		if (fd->step == PF_STEP_SIGN_IN) {
			assert_int_equal(fd->severity, PF_SEV_ERROR);
			assert_non_null(strstr(fd->message, "Negotiate, NTLM, Basic"));
			assert_non_null(strstr(fd->message, "OOBE runs as SYSTEM"));
			assert_non_null(strstr(fd->detail, "login.microsoftonline.com"));
		} else {
			assert_int_equal(fd->step, optional->ep.step);
			assert_int_equal(fd->severity, PF_SEV_WARN); /* only an optional host asked for a login */
			assert_non_null(strstr(fd->detail, optional->ep.host));
			assert_non_null(strstr(fd->message, "for 1 host of"));
		}
	}
	pf_findings_free(&f);
	/* Requiring the optional host's service (network.required_services) makes its 407 an error too. */
	int svc = pf_service_index(optional->ep.service);
	assert_true(svc >= 0);
	c.network_required_services = 1u << svc;
	pf_net_findings(&r, &c, &f);
	for (size_t i = 0; i < f.n; i++)
		if (f.items[i].code == PF_NET_PROXY_AUTH)
			assert_int_equal(f.items[i].severity, PF_SEV_ERROR);
	pf_findings_free(&f);
	c.network_required_services = 0;

	/* One host refused, the rest fine. */
	for (size_t i = 0; i < r.n_checks; i++)
		r.checks[i].status = PF_CHK_OK;
	pf_net_check *live = find(&r, "login.live.com");
	live->status = PF_CHK_PROXY_REFUSED;
	strcpy(live->detail, "CONNECT login.live.com:443: HTTP 403 Forbidden");
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 2);
	assert_int_equal(count_code(&f, PF_NET_PROXY_DENIED), 1);
	assert_non_null(strstr(f.items[0].detail, "host=login.live.com"));
	assert_non_null(strstr(f.items[0].detail, "HTTP 403"));
	pf_findings_free(&f);

	/* TLS inspection at the proxy: the finding names the proxy that inspects, and the detail which one
	 * (via=); the same failure on a direct check names no proxy. */
	live->status = PF_CHK_TLS_UNTRUSTED;
	strcpy(live->detail, "issuer CN=Contoso TLS Inspection CA,O=Contoso");
	pf_net_check *dds = find(&r, "ztd.dds.microsoft.com");
	dds->status = PF_CHK_TLS_UNTRUSTED;
	dds->via_proxy = false;
	dds->n_route = 0;
	pf_net_findings(&r, &c, &f);
	assert_int_equal(count_code(&f, PF_NET_TLS_UNTRUSTED), 2);
	for (size_t i = 0; i < f.n; i++) {
		const pf_finding *fd = &f.items[i];
		if (fd->code != PF_NET_TLS_UNTRUSTED)
			continue;
		bool proxied = strstr(fd->detail, "host=login.live.com") != NULL;
		assert_true(proxied || strstr(fd->detail, "host=ztd.dds.microsoft.com") != NULL);
		assert_int_equal(strstr(fd->message, "through proxy proxy.contoso.test:3128, which likely inspects TLS") != NULL,
				 proxied);
		assert_int_equal(strstr(fd->detail, " via=proxy.contoso.test:3128: issuer CN=Contoso") != NULL, proxied);
		assert_int_equal(strstr(fd->message, "proxy") != NULL, proxied);
	}
	pf_findings_free(&f);
	dds->status = PF_CHK_OK;
	dds->via_proxy = true;
	dds->n_route = 1;
	live->status = PF_CHK_OK;

	/* The proxy cannot be used at all: one finding, not thirty. */
	for (size_t i = 0; i < r.n_checks; i++)
		if (r.checks[i].via_proxy) {
			r.checks[i].status = PF_CHK_PROXY_FAILED;
			strcpy(r.checks[i].detail, "proxy connection refused (EFI_CONNECTION_REFUSED)");
		}
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.items[0].code, PF_NET_PROXY_UNREACHABLE);
	assert_non_null(strstr(f.items[0].detail, "connection refused"));
	pf_findings_free(&f);

	pf_buf b = { 0 };
	net_json(&r, &b);
	assert_non_null(strstr(b.p, "\"path\": \"proxy proxy.contoso.test:3128 (configured)\""));
	assert_non_null(strstr(b.p, "\"path\": \"direct\""));
	assert_non_null(strstr(b.p, "\"source\": \"configured\""));
	assert_non_null(strstr(b.p, "\"address\": \"192.168.77.3\""));
	assert_non_null(strstr(b.p, "\"status\": \"proxy-failed\""));
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	assert_non_null(strstr(b.p, "  Proxy proxy.contoso.test:3128 (network.proxy): tcp, http and https checks go through it\n"));
	assert_non_null(strstr(b.p, "[proxy] proxy connection refused"));
	pf_buf_free(&b);

	/* A PAC file: the path names it, the answer is kept; one broken PAC answer is NET-PAC-FAILED. */
	r.proxy.source = PF_PROXY_PAC;
	r.proxy.pac_from = PF_PAC_FROM_DHCP;
	r.proxy.wpad_checked = true;
	strcpy(r.proxy.pac_url, "http://192.168.77.1/wpad.dat");
	r.proxy.pac_size = 1234;
	strcpy(r.proxy.pac_sha256, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
	pf_net_check *ztd = find(&r, "ztd.dds.microsoft.com");
	ztd->status = PF_CHK_OK;
	strcpy(ztd->pac_answer, "PROXY proxy.contoso.test:3128; DIRECT");
	char path[300];
	pf_net_check_path(&r, ztd, path, sizeof(path));
	assert_string_equal(path, "proxy proxy.contoso.test:3128 via PAC http://192.168.77.1/wpad.dat");
	/* Fell back to the second hop, DIRECT: the path says direct. */
	ztd->n_route = 2;
	ztd->route[1] = 0;
	ztd->hop = 1;
	ztd->via_proxy = false;
	pf_net_check_path(&r, ztd, path, sizeof(path));
	assert_string_equal(path, "direct");
	strcpy(r.proxy.pac_error, "FindProxyForURL answered 'PROXIES x' for https://cs.dds.microsoft.com/: unknown keyword");
	for (size_t i = 0; i < r.n_checks; i++)
		r.checks[i].status = PF_CHK_OK;
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.items[0].code, PF_NET_PAC_FAILED);
	assert_int_equal(f.items[0].severity, PF_SEV_WARN);
	assert_non_null(strstr(f.items[0].message, "http://192.168.77.1/wpad.dat"));
	assert_non_null(strstr(f.items[0].detail, "from=wpad-dhcp"));
	pf_findings_free(&f);
	net_json(&r, &b);
	assert_non_null(strstr(b.p, "\"source\": \"pac\""));
	assert_non_null(strstr(b.p, "\"from\": \"wpad-dhcp\""));
	assert_non_null(strstr(b.p, "\"pac_answer\": \"PROXY proxy.contoso.test:3128; DIRECT\""));
	assert_non_null(strstr(b.p, "\"size\": 1234"));
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	assert_non_null(strstr(b.p, "  PAC http://192.168.77.1/wpad.dat (wpad-dhcp, 1234 bytes, sha256 0011223344556677..."));
	assert_non_null(strstr(b.p, "        PAC: PROXY proxy.contoso.test:3128; DIRECT\n"));
	pf_buf_free(&b);
	/* Found by the DHCPINFORM: WPAD found, from says so, inform says what came back; none sent: null. */
	net_json(&r, &b);
	assert_non_null(strstr(b.p, "\"found\": true"));
	assert_non_null(strstr(b.p, "\"inform\": null"));
	assert_non_null(strstr(b.p, "\"inform_ms\": null"));
	pf_buf_free(&b);
	r.proxy.pac_from = PF_PAC_FROM_INFORM;
	strcpy(r.proxy.inform, "DHCPACK with option 252");
	r.proxy.inform_ms = 9;
	net_json(&r, &b);
	assert_non_null(strstr(b.p, "\"found\": true"));
	assert_non_null(strstr(b.p, "\"from\": \"wpad-dhcp-inform\""));
	assert_non_null(strstr(b.p, "\"inform\": \"DHCPACK with option 252\""));
	assert_non_null(strstr(b.p, "\"inform_ms\": 9"));
	pf_buf_free(&b);
	r.proxy.pac_from = PF_PAC_FROM_DHCP;
	r.proxy.inform[0] = '\0';

	/* No proxy: no proxy finding, every path direct. */
	r.proxy = (pf_net_proxies){ .source = PF_PROXY_NONE };
	for (size_t i = 0; i < r.n_checks; i++) {
		r.checks[i].status = PF_CHK_OK;
		r.checks[i].via_proxy = false;
		r.checks[i].n_route = 0;
		r.checks[i].pac_answer[0] = '\0';
	}
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 0);
	net_json(&r, &b);
	assert_null(strstr(b.p, "(configured)"));
	assert_non_null(strstr(b.p, "\"source\": \"none\""));
	pf_buf_free(&b);
	pf_net_result_free(&r);
	pf_endpoints_free(&eps);
}



/* 802.1X: the cause when DHCP or every check failed (error), MAB / guest VLAN when the network works (warn). */
/* The JSON without its pretty-printing (newlines and indentation), for whole-object comparisons. */
static char *compact(char *js)
{
	char *w = js;
	for (const char *p = js; *p; p++) {
		if (*p == '\n') {
			while (p[1] == ' ' || p[1] == '\t')
				p++;
			continue;
		}
		*w++ = *p;
	}
	*w = '\0';
	return js;
}

/* IPv6: broken over IPv6 while IPv4 works (one warning naming the hosts), IPv6-only (the verdict from the IPv6
 * attempts, NET-IPV6-ONLY instead of NET-DHCP-FAILED), not offered (nothing, every checks[].ipv6 null). */
static void test_ipv6(void **state)
{
	(void)state;
	pf_config c = cfg();
	pf_findings f = { 0 };
	pf_endpoints eps;
	pf_net_result r;
	healthy(&r, &eps);
	pf_buf b = { 0 };

	/* Not offered: no finding, null per check. */
	r.ipv6 = (pf_net_ipv6){ .checked = true, .ms = 2000 };
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 0);
	char *js = compact(net_json(&r, &b));
	assert_non_null(strstr(js, "\"ipv6\": null"));
	assert_non_null(strstr(js, "\"ipv6\": {\"checked\": true,\"offered\": false,"));
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	assert_non_null(strstr(b.p, "  IPv6: not offered (no router advertisement within 2000 ms)\n"));
	pf_buf_free(&b);

	/* Offered; every host ok over IPv6 but two whose TCP6 fails, one without AAAA (no problem). */
	r.ipv6 = (pf_net_ipv6){ .checked = true, .offered = true, .router = true, .n_addresses = 1, .n_dns_servers = 1,
				.how = "slaac", .ms = 2147, .checks_ms = 60 };
	strcpy(r.ipv6.addresses[0], "fd77::5054:ff:fe12:3456");
	strcpy(r.ipv6.dns_servers[0], "fd77::1");
	for (size_t i = 0; i < r.n_checks; i++) {
		r.checks[i].v6 = (pf_net_check6){ .status = PF_CHK_OK, .ms = 50, .addr = "fd77::1" };
		if (r.checks[i].ep.kind == PF_EP_NTP)
			r.checks[i].v6 = (pf_net_check6){ .status = PF_CHK_NOT_RUN, .detail = "goes through a proxy: not checked over IPv6" };
	}
	pf_net_check *k = find(&r, "login.microsoftonline.com");
	k->v6.status = PF_CHK_TCP_TIMEOUT;
	strcpy(k->v6.detail, "no answer to the connection within 5000 ms");
	find(&r, "ztd.dds.microsoft.com")->v6.status = PF_CHK_TCP_REFUSED;
	k = find(&r, "ftpm.amd.com");
	k->v6 = (pf_net_check6){ .status = PF_CHK_DNS_FAILED, .detail = "no AAAA record (EFI_NOT_FOUND)" };
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.items[0].code, PF_NET_IPV6_BROKEN);
	assert_int_equal(f.items[0].severity, PF_SEV_WARN);
	assert_string_equal(pf_code_info_get(PF_NET_IPV6_BROKEN)->code, "NET-IPV6-BROKEN");
	assert_non_null(strstr(f.items[0].message, "IPv6 is offered (fd77::5054:ff:fe12:3456) but 2 hosts cannot be reached"));
	assert_non_null(strstr(f.items[0].message, "ztd.dds.microsoft.com:443, login.microsoftonline.com:443"));
	assert_null(strstr(f.items[0].message, "ftpm.amd.com"));
	assert_non_null(strstr(f.items[0].detail, "first=ztd.dds.microsoft.com [fd77::1] status=tcp-refused"));
	assert_null(strstr(f.items[0].message, "not retried")); /* connections only: Happy Eyeballs falls back */
	pf_findings_free(&f);
	js = compact(net_json(&r, &b));
	assert_non_null(strstr(js, "\"ipv6\": {\"status\": \"tcp-timeout\",\"address\": \"fd77::1\",\"ms\": 50,"
				   "\"detail\": \"no answer to the connection within 5000 ms\",\"nat64\": null}"));
	assert_non_null(strstr(js, "\"ipv6\": {\"status\": \"not-run\",\"address\": null,\"ms\": null,"
				   "\"detail\": \"goes through a proxy: not checked over IPv6\",\"nat64\": null}"));
	assert_non_null(strstr(js, "\"addresses\": [\"fd77::5054:ff:fe12:3456\"],\"dns_servers\": [\"fd77::1\"],"
				   "\"how\": \"slaac\",\"dns_from\": \"dhcpv6\",\"ms\": 2147,\"checks_ms\": 60,\"error\": null,\"nat64\": null}"));
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	assert_non_null(strstr(b.p, "  IPv6 fd77::5054:ff:fe12:3456 (slaac) DNS fd77::1 (2147 ms)\n"));
	assert_non_null(strstr(b.p, "        IPv6 tcp-timeout      50 ms fd77::1 no answer to the connection within 5000 ms\n"));
	pf_buf_free(&b);
	r.ipv6.dns_by_ra = true; /* the same server, from a router advertisement's RDNSS option */
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	assert_non_null(strstr(b.p, "  IPv6 fd77::5054:ff:fe12:3456 (slaac) DNS fd77::1 (RA RDNSS) (2147 ms)\n"));
	pf_buf_free(&b);
	js = compact(net_json(&r, &b));
	assert_non_null(strstr(js, "\"how\": \"slaac\",\"dns_from\": \"rdnss\","));
	r.ipv6.dns_by_ra = false;
	pf_buf_free(&b);

	/* A TLS failure over IPv6 (an inspecting device on the IPv6 path only) counts too, named with its status;
	 * an internal error does not. */
	find(&r, "login.live.com")->v6.status = PF_CHK_TLS_UNTRUSTED;
	find(&r, "aadcdn.msftauth.net")->v6.status = PF_CHK_ERROR;
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 1);
	assert_non_null(strstr(f.items[0].message, "but 3 hosts cannot be reached"));
	assert_non_null(strstr(f.items[0].message, "login.live.com:443 (tls-untrusted)"));
	assert_null(strstr(f.items[0].message, "aadcdn"));
	assert_non_null(strstr(f.items[0].message, "is not retried over IPv4 at all"));
	pf_findings_free(&f);
	find(&r, "login.live.com")->v6.status = PF_CHK_OK;
	find(&r, "aadcdn.msftauth.net")->v6.status = PF_CHK_OK;

	/* IPv6-only: no IPv4 address, the checks ran over IPv6; a host that fails over IPv6 keeps its finding. */
	r.has_ipv4 = false;
	r.ipv4[0] = '\0';
	for (size_t i = 0; i < r.n_checks; i++)
		r.checks[i].status = PF_CHK_NOT_RUN;
	assert_true(pf_net_ipv6_only(&r));
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 5);
	assert_int_equal(f.items[0].code, PF_NET_DHCP_FAILED); /* kept, as information */
	assert_int_equal(f.items[0].severity, PF_SEV_INFO);
	assert_non_null(strstr(f.items[0].message, "the network is IPv6-only (NET-IPV6-ONLY)"));
	assert_int_equal(f.items[1].code, PF_NET_IPV6_ONLY);
	assert_int_equal(f.items[1].severity, PF_SEV_INFO);
	assert_non_null(strstr(f.items[1].message, "IPv6-only (fd77::5054:ff:fe12:3456, slaac)"));
	for (size_t i = 2; i < f.n; i++)
		assert_int_not_equal(f.items[i].code, PF_NET_DHCP_FAILED);
	bool refused = false;
	for (size_t i = 2; i < f.n; i++)
		if (strstr(f.items[i].detail, "host=ztd.dds.microsoft.com ") && f.items[i].code == PF_NET_TCP_BLOCKED &&
		    strstr(f.items[i].detail, "status=tcp-refused addr=fd77::1: over IPv6 [fd77::1]"))
			refused = true;
	assert_true(refused);
	pf_findings_free(&f);
	pf_net_service svc[16];
	size_t n = pf_net_services(&r, svc, 16);
	size_t not_run = 0;
	for (size_t i = 0; i < n; i++)
		not_run += svc[i].run == 0;
	assert_int_equal(not_run, 1); /* NTP only */
	/* Not offered and no IPv4: NET-DHCP-FAILED as before, an error. */
	r.ipv6.offered = false;
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.items[0].code, PF_NET_DHCP_FAILED);
	assert_int_equal(f.items[0].severity, PF_SEV_ERROR);
	pf_findings_free(&f);
	pf_net_result_free(&r);
	pf_endpoints_free(&eps);
}

/* IPv6-only behind DNS64/NAT64: AAAA answers in 64:ff9b::/96 are reported as NAT64 per check (prefix and the
 * IPv4 address behind it), counted in network.ipv6.nat64 and named by NET-IPV6-ONLY; an attempt that never ran
 * and an address outside the prefix are not counted. */
static void test_ipv6_nat64(void **state)
{
	(void)state;
	pf_config c = cfg();
	pf_findings f = { 0 };
	pf_endpoints eps;
	pf_net_result r;
	healthy(&r, &eps);
	pf_buf b = { 0 };
	r.has_ipv4 = false;
	r.ipv4[0] = '\0';
	r.ipv6 = (pf_net_ipv6){ .checked = true, .offered = true, .router = true, .n_addresses = 1, .n_dns_servers = 1,
				.how = "slaac", .ms = 2147, .checks_ms = 300 };
	strcpy(r.ipv6.addresses[0], "fd77::5054:ff:fe12:3456");
	strcpy(r.ipv6.dns_servers[0], "fd77:0:0:53::53");
	const uint8_t nat[16] = { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 100, 64, 77, 1 };
	const uint8_t native[16] = { 0xfd, 0x77, [15] = 1 };
	size_t want = 0;
	for (size_t i = 0; i < r.n_checks; i++) {
		r.checks[i].status = PF_CHK_NOT_RUN;
		r.checks[i].v6 = (pf_net_check6){ .status = PF_CHK_OK, .ms = 40 };
		if (r.checks[i].ep.kind == PF_EP_NTP) {
			r.checks[i].v6 = (pf_net_check6){ .status = PF_CHK_NOT_RUN };
			pf_net_check6_set_addr(&r.checks[i].v6, nat); /* never ran: not counted */
		} else {
			pf_net_check6_set_addr(&r.checks[i].v6, nat);
			want++;
		}
	}
	pf_net_check *k = find(&r, "login.live.com");
	pf_net_check6_set_addr(&k->v6, native); /* this one has an AAAA record of its own */
	want--;
	assert_null(k->v6.nat64);
	assert_string_equal(k->v6.addr, "fd77::1");
	k = find(&r, "ztd.dds.microsoft.com");
	assert_string_equal(k->v6.addr, "64:ff9b::6440:4d01");
	assert_string_equal(k->v6.nat64, "64:ff9b::/96");
	assert_string_equal(k->v6.nat64_v4, "100.64.77.1");
	const char *prefix = "unset";
	assert_int_equal(pf_net_nat64_checks(&r, &prefix), want);
	assert_string_equal(prefix, "64:ff9b::/96");

	pf_net_findings(&r, &c, &f);
	const pf_finding *only = find_code(&f, PF_NET_IPV6_ONLY);
	assert_non_null(only);
	char words[96];
	snprintf(words, sizeof(words), "the checks ran over IPv6 (%zu of them through NAT64 64:ff9b::/96, from DNS64", want);
	assert_non_null(strstr(only->message, words));
	snprintf(words, sizeof(words), "dns=fd77:0:0:53::53 nat64=64:ff9b::/96 checks_via_nat64=%zu", want);
	assert_non_null(strstr(only->detail, words));
	for (size_t i = 0; i < f.n; i++)
		assert_true(f.items[i].severity == PF_SEV_INFO); /* a true verdict: nothing but information */
	pf_findings_free(&f);

	char *js = compact(net_json(&r, &b));
	assert_non_null(strstr(js, "\"address\": \"64:ff9b::6440:4d01\",\"ms\": 40,\"detail\": null,"
				   "\"nat64\": {\"prefix\": \"64:ff9b::/96\",\"ipv4\": \"100.64.77.1\"}}"));
	assert_non_null(strstr(js, "\"address\": \"fd77::1\",\"ms\": 40,\"detail\": null,\"nat64\": null}"));
	snprintf(words, sizeof(words), "\"nat64\": {\"prefix\": \"64:ff9b::/96\",\"checks\": %zu}", want);
	assert_non_null(strstr(js, words));
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	snprintf(words, sizeof(words), "  NAT64 64:ff9b::/96: %zu checks reached IPv4-only servers through it", want);
	assert_non_null(strstr(b.p, words));
	assert_non_null(strstr(b.p, "        IPv6 ok               40 ms 64:ff9b::6440:4d01 (NAT64 64:ff9b::/96 to 100.64.77.1)\n"));
	assert_non_null(strstr(b.p, "        IPv6 ok               40 ms fd77::1\n"));

	/* No NAT64 address anywhere: network.ipv6.nat64 null, no NAT64 line, the finding without it. */
	for (size_t i = 0; i < r.n_checks; i++)
		pf_net_check6_set_addr(&r.checks[i].v6, native);
	assert_int_equal(pf_net_nat64_checks(&r, &prefix), 0);
	assert_null(prefix);
	pf_net_findings(&r, &c, &f);
	only = find_code(&f, PF_NET_IPV6_ONLY);
	assert_non_null(only);
	assert_null(strstr(only->message, "NAT64"));
	pf_findings_free(&f);
	pf_buf_free(&b);
	js = compact(net_json(&r, &b));
	assert_non_null(strstr(js, "\"error\": null,\"nat64\": null}"));
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	assert_null(strstr(b.p, "NAT64"));
	pf_buf_free(&b);
	pf_net_result_free(&r);
	pf_endpoints_free(&eps);
}

static void test_dot1x(void **state)
{
	(void)state;
	pf_config c = cfg();
	pf_findings f = { 0 };
	pf_endpoints eps;
	pf_net_result r;
	healthy(&r, &eps);
	pf_buf b = { 0 };

	/* Probed, nothing answered: no finding, port_asks false. */
	r.dot1x = (pf_net_dot1x){ .probed = true, .frame = PF_DOT1X_NOTHING, .ms = 3000, .starts = 3, .timeout_ms = 3000 };
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 0);
	char *js = net_json(&r, &b);
	js = strstr(js, "\"dot1x\": {");
	assert_non_null(js);
	assert_non_null(strstr(js, "\"probed\": true,"));
	assert_non_null(strstr(js, "\"port_asks\": false,"));
	assert_non_null(strstr(js, "\"frame\": \"nothing\","));
	assert_non_null(strstr(js, "\"authenticator\": null,"));
	assert_non_null(strstr(js, "\"eap_method\": null,"));
	assert_non_null(strstr(js, "\"ms\": 3000,"));
	assert_non_null(strstr(js, "\"starts\": 3,"));
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	assert_non_null(strstr(b.p, "  802.1X: no authenticator answered (3 EAPOL-Starts, 3000 ms)\n"));
	pf_buf_free(&b);

	/* The port asks, the network works anyway: a warning naming MAB / guest VLAN. */
	r.dot1x = (pf_net_dot1x){ .probed = true, .frame = PF_DOT1X_EAP_REQUEST_IDENTITY, .authenticator = "00:1b:54:aa:bb:cc",
				  .ms = 4, .starts = 1, .timeout_ms = 3000 };
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.items[0].code, PF_NET_8021X_BYPASSED);
	assert_int_equal(f.items[0].severity, PF_SEV_WARN);
	assert_non_null(strstr(f.items[0].message, "802.1X authentication (EAP-Request/Identity from 00:1b:54:aa:bb:cc)"));
	assert_non_null(strstr(f.items[0].message, "MAC authentication bypass or a guest VLAN"));
	assert_non_null(strstr(f.items[0].detail, "frame=eap-request-identity authenticator=00:1b:54:aa:bb:cc"));
	assert_string_equal(pf_code_info_get(PF_NET_8021X_BYPASSED)->code, "NET-8021X-BYPASSED");
	pf_findings_free(&f);
	js = net_json(&r, &b);
	assert_non_null(strstr(js, "\"port_asks\": true,"));
	assert_non_null(strstr(js, "\"frame\": \"eap-request-identity\","));
	assert_non_null(strstr(js, "\"authenticator\": \"00:1b:54:aa:bb:cc\","));
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	assert_non_null(strstr(b.p, "  802.1X: the port asks for it (EAP-Request/Identity from 00:1b:54:aa:bb:cc after 4 ms)\n"));
	pf_buf_free(&b);

	/* An address (a guest VLAN without a way out) but no check got through: 802.1X is the cause. */
	for (size_t i = 0; i < r.n_checks; i++)
		r.checks[i].status = PF_CHK_TCP_TIMEOUT;
	pf_net_findings(&r, &c, &f);
	const pf_finding *fd = find_code(&f, PF_NET_8021X_REQUIRED);
	assert_non_null(fd);
	assert_int_equal(fd->severity, PF_SEV_ERROR);
	assert_int_equal(fd->step, PF_STEP_NETWORK);
	assert_non_null(strstr(fd->message, "no endpoint check got through: 802.1X is the cause"));
	assert_null(find_code(&f, PF_NET_8021X_BYPASSED));
	assert_non_null(find_code(&f, PF_NET_TCP_BLOCKED));
	pf_findings_free(&f);
	/* One check through is enough for "works anyway". */
	r.checks[0].status = PF_CHK_OK;
	pf_net_findings(&r, &c, &f);
	assert_non_null(find_code(&f, PF_NET_8021X_BYPASSED));
	assert_null(find_code(&f, PF_NET_8021X_REQUIRED));
	pf_findings_free(&f);

	/* No address: NET-DHCP-FAILED (the contract's code) names 802.1X, and NET-8021X-REQUIRED says why. */
	r.reached = PF_NET_STAGE_DHCP;
	r.has_ipv4 = false;
	r.dot1x.frame = PF_DOT1X_EAP_REQUEST_METHOD;
	r.dot1x.eap_method = 25;
	for (size_t i = 0; i < r.n_checks; i++)
		r.checks[i].status = PF_CHK_NOT_RUN;
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.items[0].code, PF_NET_DHCP_FAILED);
	assert_non_null(strstr(f.items[0].message, "the port asks for 802.1X"));
	assert_int_equal(f.items[1].code, PF_NET_8021X_REQUIRED);
	assert_non_null(strstr(f.items[1].message, "EAP-Request (method 25) from 00:1b:54:aa:bb:cc) and no IPv4 address "
					     "came from DHCP: 802.1X is the cause"));
	assert_non_null(strstr(f.items[1].detail, "dhcp=failed"));
	assert_string_equal(pf_code_info_get(PF_NET_8021X_REQUIRED)->fix,
			    "Use a port with MAC authentication bypass or a provisioning VLAN for the deployment: OOBE cannot "
			    "answer 802.1X on a wired port.");
	pf_findings_free(&f);
	js = net_json(&r, &b);
	assert_non_null(strstr(js, "\"eap_method\": 25"));
	pf_buf_free(&b);

	/* Not probed (disabled or the firmware could not): whatever frame is stored, no 802.1X finding. */
	r.dot1x.probed = false;
	strcpy(r.dot1x.error, "no managed network service");
	pf_net_findings(&r, &c, &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.items[0].code, PF_NET_DHCP_FAILED);
	assert_null(strstr(f.items[0].message, "802.1X"));
	pf_findings_free(&f);
	js = net_json(&r, &b);
	js = strstr(js, "\"dot1x\": {");
	assert_non_null(js);
	assert_non_null(strstr(js, "\"probed\": false,"));
	assert_non_null(strstr(js, "\"frame\": null,"));
	assert_non_null(strstr(js, "\"error\": \"no managed network service\""));
	pf_buf_free(&b);
	pf_net_text(&r, &b);
	assert_non_null(strstr(b.p, "  802.1X: not checked (no managed network service)\n"));
	pf_buf_free(&b);
	pf_net_result_free(&r);
	pf_endpoints_free(&eps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dot1x),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_ipv6_nat64),
		cmocka_unit_test(test_stages),
		cmocka_unit_test(test_checks),
		cmocka_unit_test(test_skew),
		cmocka_unit_test(test_services),
		cmocka_unit_test(test_proxy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
