/* The boot server and boot file a PXE client was given, read from the DHCP (or proxy-DHCP) packet the firmware kept. */
#include "dhcpboot.h"
#include "str.h"

/* RFC 2131 section 2: the fixed part, then the magic cookie and the options. */
#define OFF_SIADDR 20
#define OFF_SNAME 44
#define OFF_FILE 108
#define OFF_MAGIC 236
#define OFF_OPTIONS 240
#define LEN_SNAME 64
#define LEN_FILE 128

#define OPT_PAD 0
#define OPT_END 255
#define OPT_OVERLOAD 52
#define OPT_SERVER_ID 54
#define OPT_TFTP_SERVER 66
#define OPT_BOOTFILE 67

typedef struct {
	const uint8_t *v[256]; /* the first occurrence of each option */
	uint8_t n[256];
} opts;

/* Walks one option area; false when an option runs past its end. */
static bool walk(const uint8_t *p, size_t len, opts *o)
{
	for (size_t i = 0; i < len;) {
		uint8_t tag = p[i];
		if (tag == OPT_PAD) {
			i++;
			continue;
		}
		if (tag == OPT_END)
			return true;
		if (len - i < 2 || p[i + 1] > len - i - 2)
			return false;
		if (!o->v[tag]) {
			o->v[tag] = p + i + 2;
			o->n[tag] = p[i + 1];
		}
		i += 2 + (size_t)p[i + 1];
	}
	return true;
}

/* A dotted IPv4 address filling all of s, else false. */
static bool dotted(const uint8_t *s, size_t n, uint8_t out[4])
{
	size_t i = 0;
	for (int part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;
		while (i < n && s[i] >= '0' && s[i] <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(s[i++] - '0');
			digits++;
		}
		if (!digits || v > 255 || (part < 3 && (i >= n || s[i++] != '.')))
			return false;
		out[part] = (uint8_t)v;
	}
	return i == n;
}

static bool nonzero(const uint8_t a[4])
{
	return a[0] | a[1] | a[2] | a[3];
}

pf_status pf_dhcp_boot_parse(const void *buf, size_t len, pf_dhcp_boot *ret_boot)
{
	static const uint8_t magic[4] = { 99, 130, 83, 99 };
	const uint8_t *p = buf;
	pf_dhcp_boot b = { 0 };
	opts o = { 0 };

	if (len < OFF_OPTIONS)
		return PF_ERR_TRUNCATED;
	if (memcmp(p + OFF_MAGIC, magic, 4) != 0 || !walk(p + OFF_OPTIONS, len - OFF_OPTIONS, &o))
		return PF_ERR_INVALID;
	uint8_t overload = o.v[OPT_OVERLOAD] && o.n[OPT_OVERLOAD] == 1 ? o.v[OPT_OVERLOAD][0] : 0;
	/* Overloaded fields carry options, read after the main area (RFC 2132 9.3): file, then sname. */
	if ((overload & 1) && !walk(p + OFF_FILE, LEN_FILE, &o))
		return PF_ERR_INVALID;
	if ((overload & 2) && !walk(p + OFF_SNAME, LEN_SNAME, &o))
		return PF_ERR_INVALID;

	const uint8_t *f = o.v[OPT_BOOTFILE];
	size_t fn = o.n[OPT_BOOTFILE];
	if (!f && !(overload & 1)) {
		f = p + OFF_FILE;
		fn = 0;
		while (fn < LEN_FILE && f[fn])
			fn++;
	}
	if (f) {
		while (fn && !f[fn - 1])
			fn--; /* some servers count the NUL */
		pf_copy_printable(b.file, sizeof(b.file), (pf_span){ (const char *)f, fn });
	}
	memcpy(b.server, p + OFF_SIADDR, 4);
	uint8_t named[4];
	if (!nonzero(b.server) && o.v[OPT_TFTP_SERVER] && dotted(o.v[OPT_TFTP_SERVER], o.n[OPT_TFTP_SERVER], named))
		memcpy(b.server, named, 4); /* a host name there is not resolved: option 54 then */
	if (!nonzero(b.server) && o.v[OPT_SERVER_ID] && o.n[OPT_SERVER_ID] == 4)
		memcpy(b.server, o.v[OPT_SERVER_ID], 4);
	if (!b.file[0] || !nonzero(b.server))
		return PF_ERR_NOT_FOUND;
	*ret_boot = b;
	return PF_OK;
}
