/* 802.1X on a wired port: the EAPOL-Start frame a supplicant sends, and what an authenticator answers. */
#ifndef PF_EAPOL_H
#define PF_EAPOL_H

#include "pf.h"

#define PF_EAPOL_ETHERTYPE 0x888e   /* IEEE 802.1X port access entity */
#define PF_ETH_HEADER 14
#define PF_ETH_MIN_FRAME 60         /* IEEE 802.3 minimum without the frame check sequence */
#define PF_EAPOL_START_FRAME PF_ETH_MIN_FRAME

/* 01:80:C2:00:00:03, the PAE group address (IEEE 802.1X-2020, 11.1.1): no bridge forwards it. */
extern const uint8_t pf_eapol_pae_group[6];

/* EAPOL packet types (IEEE 802.1X-2020, 11.3.2). */
enum {
	PF_EAPOL_EAP_PACKET = 0,
	PF_EAPOL_START = 1,
	PF_EAPOL_LOGOFF = 2,
	PF_EAPOL_KEY = 3,
	PF_EAPOL_ENCAP_ASF_ALERT = 4,
	PF_EAPOL_MKA = 5,
};

/* EAP codes and the Identity type (RFC 3748, 4 and 5.1). */
enum { PF_EAP_REQUEST = 1, PF_EAP_RESPONSE = 2, PF_EAP_SUCCESS = 3, PF_EAP_FAILURE = 4 };
#define PF_EAP_TYPE_IDENTITY 1

/* What a received frame means for the port, most telling first (a probe keeps the best it saw). */
typedef enum {
	PF_DOT1X_NOTHING,              /* no EAPOL frame from an authenticator */
	PF_DOT1X_OTHER,                /* an EAPOL frame that says nothing about the port (Start, Logoff, a Response) */
	PF_DOT1X_EAP_SUCCESS,          /* EAP-Success: 802.1X runs on the port */
	PF_DOT1X_EAP_FAILURE,          /* EAP-Failure: 802.1X runs on the port and refused us */
	PF_DOT1X_EAPOL_KEY,            /* EAPOL-Key or MKA (MACsec key agreement): an authenticator keys the port */
	PF_DOT1X_EAP_REQUEST_METHOD,   /* EAP-Request of an authentication method (TLS, PEAP, MD5, ...) */
	PF_DOT1X_EAP_REQUEST_IDENTITY, /* EAP-Request/Identity: the port asks who we are */
	PF_DOT1X__COUNT,
} pf_dot1x_frame;

/* "eap-request-identity", "eap-request-method", "eapol-key", "eap-success", "eap-failure", "eapol-other", "nothing". */
const char *pf_dot1x_frame_str(pf_dot1x_frame f);
/* True for the frames only an authenticator sends: the port asks for 802.1X. */
bool pf_dot1x_frame_asks(pf_dot1x_frame f);

/* A received EAPOL frame, decoded. */
typedef struct {
	uint8_t dst[6], src[6];
	uint8_t version;               /* 1, 2 or 3; others are still decoded (802.1X says ignore unknown fields) */
	uint8_t type;                  /* PF_EAPOL_* */
	uint16_t body_len;             /* as the header says; never more than the frame holds */
	bool has_eap;                  /* type EAP-Packet with a complete EAP header */
	uint8_t eap_code, eap_id;
	uint16_t eap_len;              /* as the EAP header says; within body_len */
	uint8_t eap_type;              /* Request/Response only (0 otherwise) */
	pf_dot1x_frame meaning;
} pf_eapol_frame;

/* Writes an EAPOL-Start (version 2, type 1, body length 0) from mac to the PAE group address, padded with
 * zeros to the 60-byte minimum frame. Returns the frame's length. */
size_t pf_eapol_start(const uint8_t mac[6], uint8_t out[PF_EAPOL_START_FRAME]);

/*
 * Decodes one Ethernet frame (header included, no FCS; an 802.1Q tag is skipped). PF_ERR_NOT_FOUND when it
 * is not EAPOL; PF_ERR_TRUNCATED when the frame ends before its EAPOL header or before the body length the
 * header gives, or an EAP packet before its own length; PF_ERR_INVALID for an EAP length below 4 or above
 * the EAPOL body, or a Request/Response without a type. Padding after the body is allowed.
 */
PF_MUST_CHECK pf_status pf_eapol_parse(const void *buf, size_t len, pf_eapol_frame *ret);

#endif
