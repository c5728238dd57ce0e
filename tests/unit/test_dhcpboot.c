/* Boot server and file from DHCP packets as dnsmasq, a proxy-DHCP server and overloading servers send them; cut and malformed packets. */
#include "testutil.h"
#include "dhcpboot.h"

typedef struct {
	uint8_t b[600];
	size_t n;
} pkt;

static void header(pkt *p, const uint8_t siaddr[4], const char *file)
{
	memset(p, 0, sizeof(*p));
	p->b[0] = 2; /* BOOTREPLY */
	memcpy(p->b + 20, siaddr, 4);
	if (file)
		memcpy(p->b + 108, file, strlen(file));
	static const uint8_t magic[4] = { 99, 130, 83, 99 };
	memcpy(p->b + 236, magic, 4);
	p->n = 240;
}

static void opt(pkt *p, uint8_t tag, const void *v, size_t n)
{
	p->b[p->n++] = tag;
	p->b[p->n++] = (uint8_t)n;
	memcpy(p->b + p->n, v, n);
	p->n += n;
}

static void finish(pkt *p)
{
	p->b[p->n++] = 255;
}

static const uint8_t srv[4] = { 192, 168, 77, 1 }, zero[4] = { 0 };

static void test_bootp_fields(void **state)
{
	(void)state;
	pkt p;
	pf_dhcp_boot b;
	header(&p, srv, "preflight.efi");
	opt(&p, 53, "\x05", 1);
	finish(&p);
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_OK);
	assert_string_equal(b.file, "preflight.efi");
	assert_memory_equal(b.server, srv, 4);
	/* The firmware keeps the packet in a larger buffer: zeros after the end option are fine. */
	assert_int_equal(pf_dhcp_boot_parse(p.b, sizeof(p.b), &b), PF_OK);
}

static void test_options_win(void **state)
{
	(void)state;
	pkt p;
	pf_dhcp_boot b;
	/* Option 67 over the file field; no siaddr: option 66 as an address, else option 54. */
	header(&p, zero, "old.efi");
	opt(&p, 67, "pf/preflight.efi\0", 17);
	opt(&p, 66, "10.0.0.5", 8);
	opt(&p, 54, "\x0a\x00\x00\x01", 4);
	finish(&p);
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_OK);
	assert_string_equal(b.file, "pf/preflight.efi");
	const uint8_t want66[4] = { 10, 0, 0, 5 }, want54[4] = { 10, 0, 0, 1 };
	assert_memory_equal(b.server, want66, 4);
	header(&p, zero, "x.efi");
	opt(&p, 66, "tftp.example", 12); /* a name: not resolved */
	opt(&p, 54, "\x0a\x00\x00\x01", 4);
	finish(&p);
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_OK);
	assert_memory_equal(b.server, want54, 4);
	header(&p, zero, "x.efi");
	opt(&p, 66, "10.0.0.256", 10);
	finish(&p);
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_ERR_NOT_FOUND);
}

static void test_overload(void **state)
{
	(void)state;
	pkt p;
	pf_dhcp_boot b;
	/* Option 52 = 1: the file field holds options (option 67 among them), not a name. */
	header(&p, srv, NULL);
	const uint8_t in_file[] = { 67, 6, 'a', '.', 'e', 'f', 'i', 0, 255 };
	memcpy(p.b + 108, in_file, sizeof(in_file));
	opt(&p, 52, "\x01", 1);
	finish(&p);
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_OK);
	assert_string_equal(b.file, "a.efi");
	/* Overloaded without option 67: no name (the field's bytes are options). */
	header(&p, srv, NULL);
	p.b[108] = 255;
	opt(&p, 52, "\x01", 1);
	finish(&p);
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_ERR_NOT_FOUND);
}

static void test_bad(void **state)
{
	(void)state;
	pkt p;
	pf_dhcp_boot b = { .file = "untouched" };
	header(&p, srv, "x.efi");
	assert_int_equal(pf_dhcp_boot_parse(p.b, 239, &b), PF_ERR_TRUNCATED);
	p.b[236] = 0;
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_ERR_INVALID);
	header(&p, srv, "x.efi");
	opt(&p, 67, "abc", 3);
	p.b[p.n - 4] = 40; /* runs past the end */
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_ERR_INVALID);
	header(&p, zero, "x.efi");
	finish(&p);
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_ERR_NOT_FOUND);
	header(&p, srv, NULL);
	finish(&p);
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_ERR_NOT_FOUND);
	assert_string_equal(b.file, "untouched");
	/* A full 128-byte file field without a NUL is read to its end, never past it. */
	header(&p, srv, NULL);
	memset(p.b + 108, 'f', 128);
	finish(&p);
	assert_int_equal(pf_dhcp_boot_parse(p.b, p.n, &b), PF_OK);
	assert_int_equal(strlen(b.file), 128);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bootp_fields),
		cmocka_unit_test(test_options_win),
		cmocka_unit_test(test_overload),
		cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
