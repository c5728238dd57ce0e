/* IPv6 addresses as the report shows them: RFC 5952 text, scope, and whether an address was formed by SLAAC. */
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
