/* Boot source from device paths laid out as firmware builds them (PXE, HTTP boot, its RAM disk, a stick), and the plan. */
#include "testutil.h"
#include "bootsrc.h"

typedef struct {
	uint8_t b[2048];
	size_t n;
} dpath;

/* Appends one node: the generic header (type, subtype, 16-bit little-endian length) and payload. */
static void node(dpath *d, uint8_t type, uint8_t sub, const void *payload, size_t plen)
{
	size_t n = 4 + plen;
	d->b[d->n] = type;
	d->b[d->n + 1] = sub;
	d->b[d->n + 2] = (uint8_t)n;
	d->b[d->n + 3] = (uint8_t)(n >> 8);
	if (plen)
		memcpy(d->b + d->n + 4, payload, plen);
	d->n += n;
}

static void zeros(dpath *d, uint8_t type, uint8_t sub, size_t plen)
{
	uint8_t z[64] = { 0 };
	assert_true(plen <= sizeof(z));
	node(d, type, sub, z, plen);
}

/* PciRoot(0)/Pci(3,0)/MAC(...), the NIC handle's path in OVMF. */
static void nic(dpath *d)
{
	d->n = 0;
	zeros(d, 0x02, 0x01, 8);  /* ACPI HID */
	zeros(d, 0x01, 0x01, 2);  /* PCI */
	zeros(d, 0x03, 0x0B, 33); /* MAC: 32 bytes address, 1 byte interface type */
}

static void end(dpath *d)
{
	node(d, 0x7F, 0xFF, NULL, 0);
}

static void uri(dpath *d, const char *u)
{
	node(d, 0x03, 0x18, u, strlen(u));
}

static void test_pxe(void **state)
{
	(void)state;
	dpath d;
	pf_boot_source s;
	nic(&d);
	zeros(&d, 0x03, 0x0C, 23); /* IPv4 */
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
	assert_int_equal(s.kind, PF_BOOT_PXE);
	assert_false(s.ipv6);
	assert_string_equal(s.uri, "");
	assert_true(s.has_mac);
	assert_string_equal(s.mac, "00:00:00:00:00:00");
	/* The adapter's address, for the network phase: the first MAC node's first 6 bytes. */
	{
		uint8_t mac[33] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
		mac[32] = 1;
		d.n = 0;
		zeros(&d, 0x02, 0x01, 8);
		node(&d, 0x03, 0x0B, mac, sizeof(mac));
		mac[5] = 0x01;
		node(&d, 0x03, 0x0B, mac, sizeof(mac));
		end(&d);
		assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
		assert_string_equal(s.mac, "52:54:00:ab:cd:ef");
		/* A MAC node too short for an address names no adapter. */
		d.n = 0;
		node(&d, 0x03, 0x0B, mac, 5);
		end(&d);
		assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
		assert_false(s.has_mac);
		assert_int_equal(s.kind, PF_BOOT_PXE);
	}
	nic(&d);
	zeros(&d, 0x03, 0x0C, 23);
	end(&d);
	/* The bare NIC path (some firmware hands the MAC node only) and PXEv6. */
	nic(&d);
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
	assert_int_equal(s.kind, PF_BOOT_PXE);
	nic(&d);
	zeros(&d, 0x03, 0x0D, 56); /* IPv6 */
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
	assert_int_equal(s.kind, PF_BOOT_PXE);
	assert_true(s.ipv6);
}

static void test_http(void **state)
{
	(void)state;
	dpath d;
	pf_boot_source s;
	nic(&d);
	zeros(&d, 0x03, 0x0C, 23);
	uri(&d, "http://10.0.2.1/preflight/preflight.efi");
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
	assert_int_equal(s.kind, PF_BOOT_HTTP);
	assert_string_equal(s.uri, "http://10.0.2.1/preflight/preflight.efi");
	/* A NUL some firmware puts at the end is not part of the URI; control bytes become '?'. */
	nic(&d);
	node(&d, 0x03, 0x18, "http://h/a\x01.efi\0\0", 16);
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
	assert_string_equal(s.uri, "http://h/a?.efi");
	/* An empty URI node (the firmware's own "HTTP boot" entry before DHCP gives one) is still HTTP. */
	nic(&d);
	uri(&d, "");
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
	assert_int_equal(s.kind, PF_BOOT_HTTP);
	/* A URI longer than the field is cut, not overrun. */
	char big[1500];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	nic(&d);
	uri(&d, big);
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
	assert_int_equal(strlen(s.uri), PF_BOOT_URI_MAX - 1);
}

static void test_ramdisk_and_local(void **state)
{
	(void)state;
	dpath d;
	pf_boot_source s;
	/* HTTP boot registers the image below its own path; the partition driver adds HD(). */
	nic(&d);
	zeros(&d, 0x03, 0x0C, 23);
	uri(&d, "http://10.0.2.1/preflight/preflight-netboot.img");
	zeros(&d, 0x04, 0x09, 34); /* RAM disk: start, end, type GUID, instance */
	zeros(&d, 0x04, 0x01, 38); /* hard drive */
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
	assert_int_equal(s.kind, PF_BOOT_RAMDISK);
	assert_string_equal(s.uri, "http://10.0.2.1/preflight/preflight-netboot.img");
	/* A USB stick: PciRoot/Pci/USB/HD. */
	d.n = 0;
	zeros(&d, 0x02, 0x01, 8);
	zeros(&d, 0x01, 0x01, 2);
	zeros(&d, 0x03, 0x05, 2);
	zeros(&d, 0x04, 0x01, 38);
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
	assert_int_equal(s.kind, PF_BOOT_LOCAL);
	/* An end-instance node (0x7F 0x01) is not the end of the path. */
	d.n = 0;
	node(&d, 0x7F, 0x01, NULL, 0);
	zeros(&d, 0x03, 0x0B, 33);
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_OK);
	assert_int_equal(s.kind, PF_BOOT_PXE);
}

static void test_bad_paths(void **state)
{
	(void)state;
	dpath d;
	pf_boot_source s = { .kind = PF_BOOT_HTTP, .uri = "kept" };
	nic(&d);
	end(&d);
	/* Every cut short of the end node is refused, and the output is left alone. */
	for (size_t cut = 0; cut < d.n; cut++)
		assert_int_equal(pf_boot_source_parse(d.b, cut, &s), PF_ERR_TRUNCATED);
	assert_int_equal(s.kind, PF_BOOT_HTTP);
	assert_string_equal(s.uri, "kept");
	/* No end node at all. */
	nic(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_ERR_TRUNCATED);
	/* A length below the header would loop forever; one past the buffer would read beyond it. */
	nic(&d);
	d.b[d.n++] = 0x03, d.b[d.n++] = 0x0C, d.b[d.n++] = 3, d.b[d.n++] = 0;
	end(&d);
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_ERR_INVALID);
	nic(&d);
	d.b[d.n++] = 0x03, d.b[d.n++] = 0x18, d.b[d.n++] = 0xFF, d.b[d.n++] = 0x00;
	assert_int_equal(pf_boot_source_parse(d.b, d.n, &s), PF_ERR_TRUNCATED);
	assert_string_equal(s.uri, "kept");
}

static void test_plan(void **state)
{
	(void)state;
	pf_boot_source stick = { .kind = PF_BOOT_LOCAL }, pxe = { .kind = PF_BOOT_PXE },
		       http = { .kind = PF_BOOT_HTTP, .uri = "http://s/pf/preflight.efi" }, ram = { .kind = PF_BOOT_RAMDISK };
	pf_boot_plan p;

	pf_boot_plan_make(&stick, true, false, &p);
	assert_true(p.read_volume && p.write_reports && p.reports_persist);
	assert_false(p.nothing_kept);
	assert_string_equal(p.notice, "");
	assert_string_equal(p.page, "");

	pf_boot_plan_make(&stick, false, false, &p);
	assert_false(p.read_volume || p.write_reports || p.reports_persist);
	assert_true(p.nothing_kept);
	assert_non_null(strstr(p.notice, "cannot be read"));

	/* PXE: no file system; an upload URL cannot come from the defaults, and there is nothing to upload from. */
	for (int up = 0; up < 2; up++) {
		pf_boot_plan_make(&pxe, false, up, &p);
		assert_false(p.read_volume || p.write_reports || p.reports_persist || p.upload_memory);
		assert_true(p.nothing_kept);
		assert_non_null(strstr(p.notice, "Booted over the network (PXE)"));
		assert_non_null(strstr(p.notice, "nothing of this run will be kept"));
		assert_non_null(strstr(p.page, "Nothing of this run is kept"));
	}
	/* PXE with the boot server's files: read like a stick; the upload (only from memory) keeps the report. */
	pxe.server_files = true;
	pf_boot_plan_make(&pxe, false, false, &p);
	assert_true(p.read_volume && p.nothing_kept);
	assert_false(p.write_reports || p.upload_memory);
	assert_non_null(strstr(p.notice, "no report.upload_url is set"));
	pf_boot_plan_make(&pxe, false, true, &p);
	assert_true(p.read_volume && p.upload_memory);
	assert_false(p.write_reports || p.reports_persist || p.nothing_kept);
	assert_non_null(strstr(p.notice, "the report goes to the Azure Blob container"));
	assert_non_null(strstr(p.page, "only in the Azure Blob container"));
	pf_boot_plan_make(&http, false, false, &p);
	assert_true(p.nothing_kept);
	assert_non_null(strstr(p.notice, "(HTTP boot from http://s/pf/preflight.efi)"));

	/* The RAM disk is read as a stick is and written to only for the upload. */
	pf_boot_plan_make(&ram, true, false, &p);
	assert_true(p.read_volume);
	assert_false(p.write_reports || p.reports_persist);
	assert_true(p.nothing_kept);
	assert_non_null(strstr(p.notice, "no report.upload_url is set"));
	pf_boot_plan_make(&ram, true, true, &p);
	assert_true(p.read_volume && p.write_reports);
	assert_false(p.reports_persist || p.nothing_kept || p.upload_memory);
	assert_non_null(strstr(p.notice, "Azure Blob container"));
	assert_non_null(strstr(p.page, "only in the Azure Blob container"));
	assert_string_equal(pf_boot_kind_str(PF_BOOT__COUNT), "unknown");
}

static void test_sibling(void **state)
{
	(void)state;
	char out[64];
	static const struct {
		const char *uri, *want;
	} cases[] = {
		{ "http://10.0.2.1/preflight/preflight.efi", "http://10.0.2.1/preflight/preflight.ini" },
		{ "http://h/preflight.efi", "http://h/preflight.ini" },
		{ "http://h", "http://h/preflight.ini" },
		{ "https://h:8080/a/b/x.efi?v=1/2#frag", "https://h:8080/a/b/preflight.ini" },
		{ "http://h?x=/y", "http://h/preflight.ini" },
		{ "http://[fd00::1]/pf/x.efi", "http://[fd00::1]/pf/preflight.ini" },
	};
	for (size_t i = 0; i < PF_ARRAY_SIZE(cases); i++) {
		assert_int_equal(pf_boot_sibling_url(cases[i].uri, "preflight.ini", out, sizeof(out)), PF_OK);
		assert_string_equal(out, cases[i].want);
	}
	assert_int_equal(pf_boot_sibling_url("", "a", out, sizeof(out)), PF_ERR_INVALID);
	assert_int_equal(pf_boot_sibling_url("preflight.efi", "a", out, sizeof(out)), PF_ERR_INVALID);
	assert_int_equal(pf_boot_sibling_url("http:///x.efi", "a", out, sizeof(out)), PF_ERR_INVALID);
	assert_int_equal(pf_boot_sibling_url("://h/x", "a", out, sizeof(out)), PF_ERR_INVALID);
	/* Exactly full, and one over. */
	assert_int_equal(pf_boot_sibling_url("http://h/x", "abcd", out, 14), PF_OK);
	assert_string_equal(out, "http://h/abcd");
	assert_int_equal(pf_boot_sibling_url("http://h/x", "abcde", out, 14), PF_ERR_TOO_BIG);
}

static void test_pick_nic(void **state)
{
	(void)state;
	const char *macs[] = { "52:54:00:99:99:99", "52:54:00:12:34:56", "52:54:00:aa:aa:aa" };
	bool usable[] = { true, true, true }, pref = true;
	/* The boot adapter wins over one listed before it (a dock's NIC, another port with link). */
	assert_int_equal(pf_boot_pick_nic(macs, usable, 3, "52:54:00:12:34:56", &pref), 1);
	assert_true(pref);
	assert_int_equal(pf_boot_pick_nic(macs, usable, 3, "52:54:00:AA:AA:AA", &pref), 2);
	assert_true(pref);
	/* Not usable (no link, wireless, no IPv4 stack), unknown, or none given: the first usable one. */
	usable[1] = false;
	assert_int_equal(pf_boot_pick_nic(macs, usable, 3, "52:54:00:12:34:56", &pref), 0);
	assert_false(pref);
	usable[0] = false;
	assert_int_equal(pf_boot_pick_nic(macs, usable, 3, "01:02:03:04:05:06", &pref), 2);
	assert_false(pref);
	assert_int_equal(pf_boot_pick_nic(macs, usable, 3, "", &pref), 2);
	assert_int_equal(pf_boot_pick_nic(macs, usable, 3, NULL, &pref), 2);
	usable[2] = false;
	assert_int_equal(pf_boot_pick_nic(macs, usable, 3, "52:54:00:aa:aa:aa", &pref), 3);
	assert_false(pref);
	assert_int_equal(pf_boot_pick_nic(macs, usable, 0, "x", &pref), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pxe),	      cmocka_unit_test(test_http),   cmocka_unit_test(test_ramdisk_and_local),
		cmocka_unit_test(test_bad_paths), cmocka_unit_test(test_plan), cmocka_unit_test(test_sibling),
		cmocka_unit_test(test_pick_nic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
