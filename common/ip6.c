/* IPv6 addresses as the report shows them: RFC 5952 text, scope, SLAAC or not, and NAT64 prefixes (RFC 6052). */
#include "ip6.h"
#include "fmt.h"

void pf_ip6_str(const uint8_t a[16], char ret[PF_IP6_STR_MAX])
{
	uint16_t g[8];
	for (size_t i = 0; i < 8; i++)
		g[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	/* The longest run of zero groups, at least two long; the first one wins a tie (RFC 5952 4.2.3). */
	size_t best = 8, best_len = 0;
	for (size_t i = 0; i < 8;) {
		size_t j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > best_len && j - i >= 2) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	size_t n = 0;
	ret[0] = '\0';
	for (size_t i = 0; i < 8; i++) {
		if (i == best) {
			n += (size_t)pf_snprintf(ret + n, PF_IP6_STR_MAX - n, "::");
			i += best_len - 1;
			continue;
		}
		bool after_gap = best < 8 && i == best + best_len;
		n += (size_t)pf_snprintf(ret + n, PF_IP6_STR_MAX - n, "%s%x", i == 0 || after_gap ? "" : ":", g[i]);
	}
}

bool pf_ip6_is_global(const uint8_t a[16])
{
	bool zero_head = true;
	for (size_t i = 0; i < 15; i++)
		zero_head &= a[i] == 0;
	if (zero_head && (a[15] == 0 || a[15] == 1))
		return false; /* :: and ::1 */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return false; /* fe80::/10 */
	return a[0] != 0xff; /* multicast */
}

bool pf_ip6_is_eui64(const uint8_t a[16], const uint8_t mac[6])
{
	const uint8_t id[8] = { (uint8_t)(mac[0] ^ 0x02), mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5] };
	return memcmp(a + 8, id, sizeof(id)) == 0;
}

bool pf_ip6_embedded_v4(const uint8_t a[16], unsigned prefix_len, uint8_t ret_v4[4])
{
	if (prefix_len != 32 && prefix_len != 40 && prefix_len != 48 && prefix_len != 56 && prefix_len != 64 &&
	    prefix_len != 96)
		return false;
	if (prefix_len < 96 && a[8] != 0)
		return false; /* the u octet (bits 64..71) is reserved, zero (RFC 6052 2.2) */
	uint8_t v4[4];
	size_t at = prefix_len / 8;
	for (size_t i = 0; i < 4; i++) {
		if (at == 8)
			at++; /* the IPv4 address goes around the u octet */
		v4[i] = a[at++];
	}
	memcpy(ret_v4, v4, sizeof(v4));
	return true;
}

/* The prefixes a host can recognise by address alone (data: name, leading bytes, length in bits). */
static const struct {
	const char *name;
	uint8_t head[12];
	unsigned len;
} nat64_prefixes[] = {
	{ "64:ff9b::/96", { 0x00, 0x64, 0xff, 0x9b }, 96 },              /* well-known prefix, RFC 6052 */
	{ "64:ff9b:1::/48", { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48 }, /* local-use, RFC 8215 */
};

const char *pf_ip6_nat64(const uint8_t a[16], uint8_t ret_v4[4])
{
	for (size_t i = 0; i < sizeof(nat64_prefixes) / sizeof(nat64_prefixes[0]); i++) {
		if (memcmp(a, nat64_prefixes[i].head, nat64_prefixes[i].len / 8) != 0)
			continue;
		if (pf_ip6_embedded_v4(a, nat64_prefixes[i].len, ret_v4))
			return nat64_prefixes[i].name;
	}
	return NULL;
}
