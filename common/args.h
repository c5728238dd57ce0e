/* The UEFI Shell command line: preflight.efi [-c CONFIG] [--offline] [--after ACTION] [--repeat N]. */
#ifndef PF_ARGS_H
#define PF_ARGS_H

#include "config.h"

typedef struct {
	char config_path[256];  /* empty: the default \preflight\preflight.ini */
	bool offline;
	bool has_after;
	pf_after after;
	uint32_t repeat;        /* debug: run the whole check this many times in one boot (0: not given) */
	char parse_error[256];  /* set by the caller when the command line did not parse (then all else is 0) */
} pf_args;

/* Parses a command line (UTF-8). The first word is skipped when it names the program (does not
 * start with '-'). Double quotes group words. On error returns PF_ERR_INVALID and an explanation
 * in err. */
PF_MUST_CHECK pf_status pf_args_parse(const char *cmdline, size_t len, pf_args *ret_args, char *err, size_t err_cap);
/* Applies --offline, --after and --repeat over the values of the config file. */
void pf_args_apply(const pf_args *a, pf_config *c);

#endif
