/* preflight.ini: the contract's keys with their defaults, parsed and validated into a plain struct. */
#ifndef PF_CONFIG_H
#define PF_CONFIG_H

#include "pf.h"
#include "str.h"

typedef enum { PF_AFTER_PROMPT, PF_AFTER_SHUTDOWN, PF_AFTER_REBOOT, PF_AFTER_BOOT_WINDOWS } pf_after;

/* A message about one line of an input file (line 0: the file as a whole). */
typedef struct {
	unsigned line;
	char *message;
} pf_diag;

typedef struct {
	pf_diag *items;
	size_t n;
	size_t cap;
} pf_diags;

void pf_diag_add(pf_diags *d, unsigned line, const char *fmt, ...) PF_PRINTF(3, 4);
void pf_diags_free(pf_diags *d);

typedef struct {
	bool network_enabled;
	uint32_t network_timeout_ms;
	uint32_t dhcp_timeout_ms;
	bool dhcp_first_offer;         /* our DHCP4 child takes the first offer; false: the firmware's DHCP policy */
	uint32_t dot1x_timeout_ms;     /* the 802.1X probe's bound; 0: no probe */
	uint32_t ipv6_wait_ms;         /* the wait for IPv6 (SLAAC, DHCPv6); 0: IPv6 not looked at */
	char *network_endpoints;       /* NULL: built-in table */
	char *network_extra_endpoints; /* NULL: none */
	uint32_t network_required_services; /* pf_services() indexes whose optional endpoints fail as errors */
	char *network_proxy;           /* "host:port" checked instead of the direct path (NULL: none) */
	bool network_wpad;             /* network.proxy_discovery = wpad (true) or off */
	char *network_pac_url;         /* a PAC file given by hand (NULL: WPAD's, if any) */
	uint32_t max_clock_skew_s;
	char *records_dir;
	bool graph_enabled;
	char *graph_endpoint;
	char *graph_login_endpoint;
	char *graph_tenant;
	char *graph_client_id;
	char *graph_token_file;
	char *graph_expected_user;     /* the user a device without an assigned user is meant for (NULL none) */
	uint32_t graph_user_timeout_ms; /* the whole user phase (every request after the record lookup) */
	bool allow_virtual_machine;
	bool require_tpm;
	bool require_secure_boot;            /* ID-SECURE-BOOT-OFF and SB-SETUP-MODE become errors */
	bool require_2023_secure_boot_keys;  /* SB-KEK-2023-MISSING and SB-DB-WINDOWS-2023-MISSING become errors */
	bool require_installed_windows;      /* WIN-NOT-FOUND becomes an error (windows.require_installed) */
	char *report_dir;
	char *report_upload_url;       /* Azure Blob container URL with a SAS (secret; NULL none) */
	char *report_upload_sas_file;  /* the same, kept in a file on the stick (NULL none) */
	pf_after after_action;
	bool offline;                  /* --offline on the command line */
	uint32_t debug_repeat;         /* debug.repeat / --repeat: whole checks in one boot (leak hunting) */
} pf_config;

/* debug.repeat and --repeat: at most this many runs in one boot. */
#define PF_REPEAT_MAX 20

/* Fills every key with its contract default. Returns PF_ERR_NOMEM if a default string cannot be copied. */
PF_MUST_CHECK pf_status pf_config_defaults(pf_config *c);
void pf_config_free(pf_config *c);

/*
 * Parses an INI file (UTF-8 with or without BOM, or UTF-16LE with BOM) over the values already in c.
 * Every problem (malformed line, unknown section or key, invalid value) is added to diags with its
 * 1-based line number and leaves the previous value in place. Returns PF_OK unless memory ran out.
 */
PF_MUST_CHECK pf_status pf_config_parse(pf_config *c, const void *buf, size_t len, pf_diags *diags);

/* Sets one key given as "section.key" (for command-line overrides). On a bad key or value, returns
 * PF_ERR_INVALID and, if ret_error is not NULL, an allocated explanation. */
PF_MUST_CHECK pf_status pf_config_set(pf_config *c, const char *section_key, pf_span value, char **ret_error);

const char *pf_after_str(pf_after a);

#endif
