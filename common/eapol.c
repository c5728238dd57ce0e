/* 802.1X on a wired port: builds the EAPOL-Start frame and decodes what an authenticator answers. */
#include "eapol.h"

#define ETH_VLAN 0x8100          /* IEEE 802.1Q tag: 4 more bytes before the EtherType */
#define EAPOL_HEADER 4           /* version, type, body length (2) */
#define EAP_HEADER 4             /* code, identifier, length (2) */
#define EAPOL_VERSION 2          /* 802.1X-2004; authenticators of every version answer it */

const uint8_t pf_eapol_pae_group[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03 };

static const char *const frame_names[PF_DOT1X__COUNT] = {
	[PF_DOT1X_NOTHING] = "nothing",
	[PF_DOT1X_OTHER] = "eapol-other",
	[PF_DOT1X_EAP_SUCCESS] = "eap-success",
	[PF_DOT1X_EAP_FAILURE] = "eap-failure",
	[PF_DOT1X_EAPOL_KEY] = "eapol-key",
	[PF_DOT1X_EAP_REQUEST_METHOD] = "eap-request-method",
	[PF_DOT1X_EAP_REQUEST_IDENTITY] = "eap-request-identity",
};

const char *pf_dot1x_frame_str(pf_dot1x_frame f)
{
	return (unsigned)f < PF_DOT1X__COUNT ? frame_names[f] : "?";
}

bool pf_dot1x_frame_asks(pf_dot1x_frame f)
{
	return f != PF_DOT1X_NOTHING && f != PF_DOT1X_OTHER && (unsigned)f < PF_DOT1X__COUNT;
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

size_t pf_eapol_start(const uint8_t mac[6], uint8_t out[PF_EAPOL_START_FRAME])
{
	memset(out, 0, PF_EAPOL_START_FRAME);
	memcpy(out, pf_eapol_pae_group, 6);
	memcpy(out + 6, mac, 6);
	out[12] = PF_EAPOL_ETHERTYPE >> 8;
	out[13] = PF_EAPOL_ETHERTYPE & 0xff;
	out[14] = EAPOL_VERSION;
	out[15] = PF_EAPOL_START;
	/* body length 0: bytes 16 and 17 stay zero, the rest is padding */
	return PF_EAPOL_START_FRAME;
}

static pf_dot1x_frame meaning_of(const pf_eapol_frame *e)
{
	switch (e->type) {
	case PF_EAPOL_EAP_PACKET:
		switch (e->eap_code) {
		case PF_EAP_REQUEST:
			return e->eap_type == PF_EAP_TYPE_IDENTITY ? PF_DOT1X_EAP_REQUEST_IDENTITY : PF_DOT1X_EAP_REQUEST_METHOD;
		case PF_EAP_SUCCESS:
			return PF_DOT1X_EAP_SUCCESS;
		case PF_EAP_FAILURE:
			return PF_DOT1X_EAP_FAILURE;
		default:
			return PF_DOT1X_OTHER; /* a Response comes from another supplicant, an unknown code from nobody */
		}
	case PF_EAPOL_KEY:
	case PF_EAPOL_MKA:
		return PF_DOT1X_EAPOL_KEY;
	default:
		return PF_DOT1X_OTHER;
	}
}

/* The EAP packet inside an EAPOL body of body_len bytes at p (body_len is within the frame). */
static pf_status parse_eap(const uint8_t *p, size_t body_len, pf_eapol_frame *e)
{
	if (body_len < EAP_HEADER)
		return PF_ERR_TRUNCATED;
	e->eap_code = p[0];
	e->eap_id = p[1];
	e->eap_len = be16(p + 2);
	if (e->eap_len < EAP_HEADER)
		return PF_ERR_INVALID;
	if (e->eap_len > body_len)
		return PF_ERR_INVALID; /* the EAP packet claims more than the EAPOL body carries */
	if (e->eap_code == PF_EAP_REQUEST || e->eap_code == PF_EAP_RESPONSE) {
		if (e->eap_len < EAP_HEADER + 1)
			return PF_ERR_INVALID; /* RFC 3748 4.1: a Request or Response has a type */
		e->eap_type = p[EAP_HEADER];
	}
	e->has_eap = true;
	return PF_OK;
}

pf_status pf_eapol_parse(const void *buf, size_t len, pf_eapol_frame *ret)
{
	const uint8_t *p = buf;
	pf_eapol_frame e = { 0 };
	if (len < PF_ETH_HEADER)
		return PF_ERR_TRUNCATED;
	memcpy(e.dst, p, 6);
	memcpy(e.src, p + 6, 6);
	size_t off = 12;
	uint16_t type = be16(p + off);
	if (type == ETH_VLAN) {
		if (len < off + 6)
			return PF_ERR_TRUNCATED;
		off += 4;
		type = be16(p + off);
	}
	if (type != PF_EAPOL_ETHERTYPE)
		return PF_ERR_NOT_FOUND;
	off += 2;
	if (len - off < EAPOL_HEADER)
		return PF_ERR_TRUNCATED;
	e.version = p[off];
	e.type = p[off + 1];
	e.body_len = be16(p + off + 2);
	off += EAPOL_HEADER;
	if (e.body_len > len - off)
		return PF_ERR_TRUNCATED; /* the length comes from the sender: the frame must hold it */
	if (e.type == PF_EAPOL_EAP_PACKET) {
		pf_status st = parse_eap(p + off, e.body_len, &e);
		if (st != PF_OK)
			return st;
	}
	e.meaning = meaning_of(&e);
	*ret = e;
	return PF_OK;
}
