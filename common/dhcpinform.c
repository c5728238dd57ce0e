/* DHCPINFORM for the WPAD URL (option 252) when the lease did not carry it: the request built, the DHCPACK read. */
#include "dhcpinform.h"
#include "str.h"

/* BOOTP fixed part (RFC 2131 2): op htype hlen hops xid secs flags ciaddr yiaddr siaddr giaddr chaddr(16)
 * sname(64) file(128), then the magic cookie; options start at 240. */
#define OFF_OP 0
#define OFF_HTYPE 1
#define OFF_HLEN 2
#define OFF_XID 4
#define OFF_CIADDR 12
#define OFF_CHADDR 28
#define OFF_COOKIE 236
#define OFF_OPTIONS 240

#define BOOTREQUEST 1
#define BOOTREPLY 2
#define HTYPE_ETHERNET 1

#define OPT_PAD 0
#define OPT_SUBNET 1
#define OPT_ROUTER 3
#define OPT_DNS 6
#define OPT_TYPE 53
#define OPT_SERVER_ID 54
#define OPT_PARAMS 55
#define OPT_MAX_SIZE 57
#define OPT_CLIENT_ID 61
#define OPT_END 255

#define DHCPACK 5
#define DHCPINFORM 8

/* Joined parts of one option (RFC 3396); a text option longer than this is cut here and by its reader. */
#define JOIN_MAX 512

static const uint8_t cookie[4] = { 99, 130, 83, 99 };

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

size_t pf_dhcp_inform_build(const uint8_t mac[6], const uint8_t ciaddr[4], uint32_t xid, uint8_t *buf, size_t cap)
{
	if (cap < PF_DHCP_INFORM_LEN)
		return 0;
	memset(buf, 0, PF_DHCP_INFORM_LEN);
	buf[OFF_OP] = BOOTREQUEST;
	buf[OFF_HTYPE] = HTYPE_ETHERNET;
	buf[OFF_HLEN] = 6;
	put32(buf + OFF_XID, xid);
	memcpy(buf + OFF_CIADDR, ciaddr, 4);
	memcpy(buf + OFF_CHADDR, mac, 6);
	memcpy(buf + OFF_COOKIE, cookie, 4);
	const uint8_t opts[] = {
		OPT_TYPE, 1, DHCPINFORM,
		OPT_CLIENT_ID, 7, HTYPE_ETHERNET, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
		OPT_PARAMS, 5, OPT_SUBNET, OPT_ROUTER, OPT_DNS, PF_DHCP_OPT_DOMAIN, PF_DHCP_OPT_WPAD,
		OPT_MAX_SIZE, 2, 576 >> 8, 576 & 0xff,
		OPT_END,
	};
	_Static_assert(OFF_OPTIONS + sizeof(opts) <= PF_DHCP_INFORM_LEN, "options fit the minimum message");
	memcpy(buf + OFF_OPTIONS, opts, sizeof(opts));
	return PF_DHCP_INFORM_LEN;
}

typedef struct {
	uint8_t data[JOIN_MAX];
	size_t len;
	bool seen;
} joined;

static void join(joined *j, const uint8_t *p, size_t n)
{
	j->seen = true;
	size_t room = sizeof(j->data) - j->len;
	if (n > room)
		n = room;
	memcpy(j->data + j->len, p, n);
	j->len += n;
}

pf_status pf_dhcp_ack_parse(const void *buf, size_t len, uint32_t xid, const uint8_t mac[6],
			    pf_dhcp_inform_answer *ret)
{
	const uint8_t *b = buf;
	if (len < OFF_OPTIONS)
		return PF_ERR_TRUNCATED;
	if (b[OFF_OP] != BOOTREPLY || b[OFF_HTYPE] != HTYPE_ETHERNET || b[OFF_HLEN] != 6 ||
	    memcmp(b + OFF_COOKIE, cookie, 4) != 0)
		return PF_ERR_INVALID;
	uint32_t got = (uint32_t)b[OFF_XID] << 24 | (uint32_t)b[OFF_XID + 1] << 16 | (uint32_t)b[OFF_XID + 2] << 8 |
		       b[OFF_XID + 3];
	if (got != xid || memcmp(b + OFF_CHADDR, mac, 6) != 0)
		return PF_ERR_NOT_FOUND;

	/* The two text options, joined; on the heap: 2 x JOIN_MAX would weigh on the firmware's small stack. */
	joined *wpad = pf_malloc(2 * sizeof(joined));
	if (!wpad)
		return PF_ERR_NOMEM;
	memset(wpad, 0, 2 * sizeof(joined));
	joined *domain = wpad + 1;
	int type = -1;
	uint8_t server[4] = { 0 };
	pf_status st = PF_OK;
	size_t i = OFF_OPTIONS;
	while (i < len) {
		uint8_t code = b[i];
		if (code == OPT_END)
			break;
		if (code == OPT_PAD) {
			i++;
			continue;
		}
		if (i + 1 >= len || b[i + 1] > len - i - 2) {
			st = PF_ERR_TRUNCATED; /* the length byte, or the value it announces, runs past the datagram */
			break;
		}
		size_t n = b[i + 1];
		const uint8_t *v = b + i + 2;
		if (code == OPT_TYPE && n == 1)
			type = v[0];
		else if (code == OPT_SERVER_ID && n == 4)
			memcpy(server, v, 4);
		else if (code == PF_DHCP_OPT_WPAD)
			join(wpad, v, n);
		else if (code == PF_DHCP_OPT_DOMAIN)
			join(domain, v, n);
		i += 2 + n;
	}
	if (st == PF_OK && type < 0)
		st = PF_ERR_INVALID; /* no message type: not a DHCP message */
	if (st == PF_OK && type != DHCPACK)
		st = PF_ERR_NOT_FOUND; /* a DHCPNAK or an offer meant for someone else's exchange */
	if (st == PF_OK) {
		pf_dhcp_inform_answer a = { .has_wpad = wpad->seen, .has_domain = domain->seen };
		memcpy(a.server, server, 4);
		if (wpad->seen)
			pf_dhcp_option_text(wpad->data, wpad->len, a.wpad_url, sizeof(a.wpad_url));
		if (domain->seen)
			pf_dhcp_option_text(domain->data, domain->len, a.domain, sizeof(a.domain));
		*ret = a;
	}
	pf_free(wpad);
	return st;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool pf_mac_parse(const char *s, uint8_t ret[6])
{
	uint8_t m[6];
	for (size_t i = 0; i < 6; i++) {
		const char *p = s + 3 * i;
		int hi = hex_digit(p[0]), lo = hi < 0 ? -1 : hex_digit(p[1]);
		if (lo < 0 || p[2] != (i == 5 ? '\0' : ':'))
			return false;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(ret, m, 6);
	return true;
}
