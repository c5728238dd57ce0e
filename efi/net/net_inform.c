/* DHCPINFORM for the WPAD URL when the lease carried no option 252, as Windows' DHCP client asks for WinHTTP. */
#include "net.h"
#include "clock.h"
#include "dhcpinform.h"
#include "fmt.h"
#include "log.h"
#include "proxy.h"

/* A server on the segment answers at once; a lost datagram is sent again, all within the bound. */
#define INFORM_RESEND_MS 400
#define INFORM_STALL_US 1000
#define INFORM_ANSWER_MAX 1500

EFI_STATUS net_dhcp_inform(EFI_HANDLE nic, pf_net_result *r, uint32_t wait_ms, pf_dhcp_inform_answer *ret)
{
	pf_net_proxies *px = &r->proxy;
	uint8_t mac[6], ci[4];
	if (!r->n_nics_used || !pf_mac_parse(r->nics_used[0], mac) || !pf_ipv4_parse(r->ipv4, ci)) {
		pf_snprintf(px->inform, sizeof(px->inform), "not sent (no adapter address)");
		return EFI_INVALID_PARAMETER;
	}
	uint64_t t0 = clock_ms();
	/* Only ours to tell apart from other clients' answers: time and address mixed are enough. */
	uint32_t xid = (uint32_t)(t0 * 2654435761u) ^ ((uint32_t)mac[2] << 24 | (uint32_t)mac[3] << 16 |
						      (uint32_t)mac[4] << 8 | mac[5]);
	uint8_t req[PF_DHCP_INFORM_LEN];
	pf_dhcp_inform_build(mac, ci, xid, req, sizeof(req));
	_cleanup_free_ uint8_t *ans = pf_malloc(INFORM_ANSWER_MAX);
	if (!ans)
		return log_error_status(EFI_OUT_OF_RESOURCES, "DHCPINFORM");
	net_udp u;
	EFI_STATUS err = net_udp_open(&u, nic);
	if (EFI_ERROR(err)) {
		pf_snprintf(px->inform, sizeof(px->inform), "not sent (no UDP4: %s)", efi_status_str(err));
		return err;
	}
	if (EFI_ERROR((err = net_udp_configure_listen(&u, PF_DHCP_CLIENT_PORT)))) {
		pf_snprintf(px->inform, sizeof(px->inform), "not sent (port 68: %s)", efi_status_str(err));
		net_udp_stop(&u);
		return err;
	}
	static const EFI_IPv4_ADDRESS bcast = { { 255, 255, 255, 255 } };
	uint64_t next_send = t0, deadline = t0 + wait_ms;
	unsigned sent = 0;
	err = EFI_TIMEOUT;
	for (uint64_t now = t0; now < deadline; now = clock_ms()) {
		if (u.tx_pending && u.tx_done)
			u.tx_pending = false;
		if (!u.tx_pending && now >= next_send) {
			EFI_STATUS e = net_udp_send_to(&u, &bcast, PF_DHCP_SERVER_PORT, req, sizeof(req));
			if (EFI_ERROR(e)) {
				pf_snprintf(px->inform, sizeof(px->inform), "not sent (%s)", efi_status_str(e));
				err = e;
				break;
			}
			sent++;
			next_send = now + INFORM_RESEND_MS;
		}
		if (!u.rx_pending && EFI_ERROR((err = net_udp_recv(&u)))) {
			pf_snprintf(px->inform, sizeof(px->inform), "no receive (%s)", efi_status_str(err));
			break;
		}
		err = EFI_TIMEOUT;
		net_udp_poll(&u);
		if (u.rx_pending && u.rx_done) {
			UINT32 n = 0;
			pf_dhcp_inform_answer a;
			/* Anything else on port 68 (another client's exchange, the lease's own traffic) is passed over. */
			if (!EFI_ERROR(net_udp_take(&u, ans, INFORM_ANSWER_MAX, &n)) &&
			    pf_dhcp_ack_parse(ans, n, xid, mac, &a) == PF_OK) {
				/* The time goes apart (inform_ms): the text stays the same from run to run. */
				pf_snprintf(px->inform, sizeof(px->inform), "DHCPACK %s option 252",
					    a.has_wpad ? "with" : "without");
				px->inform_ms = (uint32_t)(clock_ms() - t0);
				*ret = a;
				err = EFI_SUCCESS;
				break;
			}
		}
		BS->Stall(INFORM_STALL_US);
	}
	if (err == EFI_TIMEOUT) {
		pf_snprintf(px->inform, sizeof(px->inform), "no DHCPACK (%u sent)", sent);
		px->inform_ms = wait_ms;
	}
	net_udp_stop(&u); /* cancels a pending token before the buffers go */
	return err;
}
