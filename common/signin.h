/* Device-code sign-in's portable parts (RFC 8628 as the Microsoft identity platform does it): URLs, form bodies, answers, polling. */
#ifndef PF_SIGNIN_H
#define PF_SIGNIN_H

#include "pf.h"
#include "str.h"
#include "graphquery.h"

/* The delegated permissions asked for, each for one check (docs/user-checks.md): the device lookup,
 * the user's account and devices, licences, the device registration policy, group membership. */
#define PF_SIGNIN_SCOPE                                                                                   \
	"https://graph.microsoft.com/DeviceManagementServiceConfig.Read.All https://graph.microsoft.com/User.Read.All " \
	"https://graph.microsoft.com/LicenseAssignment.Read.All "                                         \
	"https://graph.microsoft.com/Policy.Read.DeviceConfiguration https://graph.microsoft.com/GroupMember.Read.All " \
	"https://graph.microsoft.com/Device.Read.All https://graph.microsoft.com/DeviceManagementManagedDevices.Read.All"
/* The device-code grant's grant_type. */
#define PF_SIGNIN_GRANT "urn:ietf:params:oauth:grant-type:device_code"
/* However long the code lives, the wait for the user ends after this many seconds. */
#define PF_SIGNIN_MAX_WAIT_S 900
/* RFC 8628 3.2: the poll interval when the answer names none; slow_down adds PF_SIGNIN_SLOW_DOWN_S. */
#define PF_SIGNIN_DEFAULT_INTERVAL_S 5
#define PF_SIGNIN_SLOW_DOWN_S 5
#define PF_SIGNIN_MAX_INTERVAL_S 60
/* Longest device code kept (Entra's are about 150 characters). */
#define PF_SIGNIN_DEVICE_CODE_MAX 1024

/*
 * {login_endpoint}/{tenant}/oauth2/v2.0/{what} (what is "devicecode" or "token"); a path of the
 * endpoint's own is kept as a prefix, a query is refused. The tenant must be 1..128 letters, digits,
 * '-', '.' or '_' (a GUID or a domain); PF_ERR_INVALID otherwise.
 */
PF_MUST_CHECK pf_status pf_signin_url(const char *login_endpoint, const char *tenant, const char *what, pf_url *ret);

/*
 * Appends "name=value" to an application/x-www-form-urlencoded body of *len bytes in buf, with '&'
 * before it when the body is not empty; value is percent-encoded (everything but letters, digits and
 * "-._~"). *len grows as snprintf's result does (the body did not fit when *len >= cap).
 */
void pf_form_add(char *buf, size_t cap, size_t *len, const char *name, pf_span value);

/* The device authorization request's body: client_id and scope. Length as snprintf returns it. */
size_t pf_signin_code_body(const char *client_id, char *buf, size_t cap);
/* The token request's body: grant_type, client_id, device_code. The caller wipes buf: it holds the code. */
size_t pf_signin_token_body(const char *client_id, pf_span device_code, char *buf, size_t cap);

/* POST u->target with Host, Content-Type form, Content-Length, Accept JSON, Connection: close and the
 * body. Length as snprintf returns it. The caller wipes buf when the body holds a secret. */
size_t pf_signin_request(const pf_url *u, const char *body, size_t body_len, char *buf, size_t cap);

/* An OAuth error answer's "error" and "error_description" (printable ASCII, others become '?'); the
 * description is cut at its first line break and " Trace ID:" (Entra's diagnostics) and to fit, and
 * loses a final period (findings end their own sentences). */
typedef struct {
	char error[64];
	char description[160];
} pf_oauth_error;

/* The device authorization answer. device_code is a secret: the caller wipes the struct after use. */
typedef struct {
	char device_code[PF_SIGNIN_DEVICE_CODE_MAX + 1];
	char user_code[64];
	char verification_uri[256];
	char message[512];
	uint32_t expires_in;   /* seconds; 0 when missing */
	uint32_t interval;     /* seconds; 0 when missing */
	pf_oauth_error err;    /* err.error[0] when the answer is an error */
} pf_signin_code;

/*
 * Reads a device authorization answer (a JSON object). PF_OK with either an error (err.error set) or
 * a usable code: device_code of 1..PF_SIGNIN_DEVICE_CODE_MAX visible ASCII characters, a non-empty
 * user_code and verification_uri of printable ASCII (refused otherwise, PF_ERR_INVALID, as is any
 * answer that is not a JSON object; PF_ERR_TRUNCATED when it ended early; PF_ERR_NOMEM).
 */
PF_MUST_CHECK pf_status pf_signin_code_parse(const void *body, size_t len, pf_signin_code *ret);

/* A token answer. access_token is a secret: the caller wipes the struct after use. */
typedef struct {
	bool has_token;
	char access_token[PF_GRAPH_TOKEN_MAX + 1];
	size_t token_len;
	uint32_t expires_in;
	pf_oauth_error err;
} pf_signin_token;

/*
 * Reads a token answer (a JSON object): has_token when access_token is a usable bearer token
 * (pf_graph_token's rules) and token_type, when present, is Bearer; else err when the answer names
 * an error. PF_OK when the body is a JSON object (which may hold neither), else as pf_signin_code_parse.
 * The scanner's buffers that saw the token are wiped before they are freed.
 */
PF_MUST_CHECK pf_status pf_signin_token_parse(const void *body, size_t len, pf_signin_token *ret);

/* The wait for the user, in milliseconds of a monotonic clock. */
typedef struct {
	uint32_t interval_s;
	uint64_t end_ms;       /* no poll is sent after this */
} pf_signin_poll;

/* Starts the wait at now_ms: interval (PF_SIGNIN_DEFAULT_INTERVAL_S when 0, at least 1, at most
 * PF_SIGNIN_MAX_INTERVAL_S) and an end after min(expires_in, PF_SIGNIN_MAX_WAIT_S) seconds (the cap when 0). */
void pf_signin_poll_init(pf_signin_poll *p, uint32_t interval_s, uint32_t expires_in_s, uint64_t now_ms);

typedef enum {
	PF_POLL_TOKEN,    /* the token arrived */
	PF_POLL_AGAIN,    /* authorization_pending or slow_down: poll again at *ret_next_ms */
	PF_POLL_FAILED,   /* an error (a.err names it, or the answer named neither token nor error) */
	PF_POLL_TIMEOUT,  /* still pending, but the next poll would pass the end */
} pf_poll_action;

/* What to do after a token answer received at now_ms; slow_down makes p's interval longer. */
pf_poll_action pf_signin_poll_next(pf_signin_poll *p, const pf_signin_token *a, uint64_t now_ms, uint64_t *ret_next_ms);

#endif
