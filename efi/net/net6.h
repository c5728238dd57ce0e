/* IPv6 in the network phase: what SLAAC and DHCPv6 gave the firmware, and the endpoint checks over DNS6 and TCP6. */
#ifndef PF_EFI_NET6_H
#define PF_EFI_NET6_H

#include "net.h"

/* ---- net_ip6.c: is IPv6 offered on the adapter? ---- */
typedef struct net_ip6 net_ip6;
/* Switches nic's IPv6 policy to automatic (edk2's default, manual, ignores router advertisements), so that
 * SLAAC and DHCPv6 run on the firmware's own timers alongside DHCPv4; the wait ends wait_ms from now at the
 * latest (network.ipv6_wait_ms). On failure out->error says why and nothing was changed. */
EFI_STATUS net_ip6_start(EFI_HANDLE nic, uint32_t wait_ms, pf_net_ipv6 *out, net_ip6 **ret_ip6);
/* Looks at the adapter without waiting and writes what it found into out; true once decided: a global address
 * (and DNS servers, or a short grace for them passed), no router advertisement 2 s after the start, or the
 * wait over. */
bool net_ip6_poll(net_ip6 *s, uint64_t now);
bool net_ip6_offered(const net_ip6 *s);
/* When the wait ends at the latest. */
uint64_t net_ip6_deadline(const net_ip6 *s);
/* The IPv6 DNS servers (DHCPv6), valid while s lives. */
const EFI_IPv6_ADDRESS *net_ip6_dns(const net_ip6 *s, UINTN *ret_n);
/* The first global address seen, as the checks' source address; NULL before there is one. edk2's TCP6 with a zero
 * station address sends from the link-local address even to an off-link destination (seen in the test network:
 * the router answers "beyond scope of source address"), where RFC 6724 (and Windows) pick a global one. */
const EFI_IPv6_ADDRESS *net_ip6_source(const net_ip6 *s);
/* Puts the policy back as it was (manual drops the addresses SLAAC gave) and frees s; NULL is fine. */
void net_ip6_finish(net_ip6 *s);

/* ---- net_dns6.c: one AAAA lookup ---- */
typedef struct {
	EFI_HANDLE nic, child;
	PF_DNS6_PROTOCOL *dns;
	PF_DNS6_COMPLETION_TOKEN token;
	volatile BOOLEAN done;
	bool pending;
	CHAR16 name[PF_HOST_MAX + 1];
} net_dns6;

EFI_STATUS net_dns6_start(net_dns6 *d, EFI_HANDLE nic, const EFI_IPv6_ADDRESS *servers, UINTN n, const char *host);
bool net_dns6_done(net_dns6 *d);
/* After net_dns6_done: the lookup's status and its first address. */
EFI_STATUS net_dns6_result(net_dns6 *d, EFI_IPv6_ADDRESS *ret_addr);
/* Cancels a pending lookup, frees the answer, destroys the child; safe to call twice. */
void net_dns6_stop(net_dns6 *d);

/* ---- net_ra.c: router advertisements' RDNSS servers, read beside the IP6 driver ---- */
typedef struct net_ra net_ra;
/* An MNP child for IPv6 frames on nic, listening from now on. */
EFI_STATUS net_ra_start(EFI_HANDLE nic, net_ra **ret_ra);
/* Takes what arrived without waiting; copies the last advertisement's RDNSS servers (at most max) into ret_dns
 * and returns how many (0: none seen yet). NULL is fine. */
size_t net_ra_poll(net_ra *r, EFI_IPv6_ADDRESS *ret_dns, size_t max);
/* Cancels, leaves the group, destroys the child, frees r; NULL is fine. */
void net_ra_stop(net_ra *r);

/* ---- net_udp6.c: one UDP6 exchange (NTP), as net_udp over UDP4 ---- */
typedef struct {
	EFI_HANDLE nic, child;
	EFI_UDP6 *udp;
	EFI_UDP6_COMPLETION_TOKEN tx, rx;
	EFI_UDP6_TRANSMIT_DATA txd;
	volatile BOOLEAN tx_done, rx_done;
	bool configured, tx_pending, rx_pending;
} net_udp6;

EFI_STATUS net_udp6_open(net_udp6 *u, EFI_HANDLE nic);
/* src: the source address (net_ip6_source), NULL to let the IP6 driver choose; EFI_NO_MAPPING: not ready yet. */
EFI_STATUS net_udp6_configure(net_udp6 *u, const EFI_IPv6_ADDRESS *src, const EFI_IPv6_ADDRESS *addr, UINT16 port);
EFI_STATUS net_udp6_send(net_udp6 *u, void *buf, UINT32 len);
EFI_STATUS net_udp6_recv(net_udp6 *u);
/* After rx_done: copies the datagram (at most cap bytes) and gives its buffer back to the driver. */
EFI_STATUS net_udp6_take(net_udp6 *u, void *buf, UINT32 cap, UINT32 *ret_len);
void net_udp6_poll(net_udp6 *u);
/* Cancels every token, unconfigures, destroys the child, closes the events; safe to call twice. */
void net_udp6_stop(net_udp6 *u);

/* ---- net_check6.c: every endpoint over IPv6, alongside the IPv4 checks (TCP6 through net_tcp_open6) ---- */
typedef struct net_checks6 net_checks6;
/* Takes over ip6 (NULL: IPv6 could not be looked at; the object then does nothing) and, once it says IPv6 is
 * offered, checks every endpoint of r over it, each within limit_ms from then; NULL when out of memory (ip6
 * is then finished). */
net_checks6 *net_checks6_new(pf_net_result *r, EFI_HANDLE nic, net_ip6 *ip6, uint32_t limit_ms);
/* Advances the wait and the checks without waiting; true while something is still to come. tls: the TLS
 * environment of the phase's checks (NULL: https stops at the TCP6 connection). */
bool net_checks6_step(net_checks6 *s, net_tls_env *tls, uint64_t now);
/* When everything still running is to be ended at the latest. */
uint64_t net_checks6_deadline(const net_checks6 *s);
/* Ends whatever still runs (out of time), writes the results, puts the IPv6 policy back and frees s. */
void net_checks6_free(net_checks6 *s, uint64_t now);

#endif
