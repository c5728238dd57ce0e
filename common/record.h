/* One Autopilot device record as a reader sees it (CSV row or Graph JSON object), before matching. */
#ifndef PF_RECORD_H
#define PF_RECORD_H

#include "pf.h"
#include "str.h"

typedef enum { PF_RECSRC_CSV, PF_RECSRC_GRAPH_FILE, PF_RECSRC_GRAPH_ONLINE } pf_record_source;

/*
 * Fields are UTF-8 views valid only during the callback that receives them. A field whose column
 * or member is absent has p == NULL; a present but empty one has p != NULL and len == 0.
 */
typedef struct {
	pf_record_source source;
	unsigned line;              /* CSV: 1-based line where the row starts; JSON: 0-based index in the list */
	pf_span serial;
	pf_span product_id;         /* CSV Windows Product ID / Graph productKey */
	pf_span hash;               /* Base64 hardware hash (CSV Hardware Hash / Graph hardwareIdentifier) */
	pf_span group_tag;
	pf_span assigned_user;      /* CSV Assigned User / Graph userPrincipalName or addressableUserName */
	pf_span manufacturer;
	pf_span model;
	/* Graph only */
	pf_span id;
	pf_span enrollment_state;
	pf_span profile_status;     /* deploymentProfileAssignmentStatus */
	pf_span purchase_order;
	pf_span display_name;
	pf_span aad_device_id;
	pf_span managed_device_id;
	pf_span sku;
	pf_span system_family;
	pf_span last_contacted;
} pf_record_view;

/* Called once per record; return false to stop the scan early. */
typedef bool (*pf_record_cb)(void *ctx, const pf_record_view *rec);

/* Why a record file could not be used: the line (1-based, 0 for the whole file) and a reason. */
typedef struct {
	unsigned line;
	char reason[160];
} pf_file_error;

#endif
