/* The user's side from Microsoft Graph answers: the user object and its licences (docs/user-checks-research.md). */
#ifndef PF_GRAPHUSER_H
#define PF_GRAPHUSER_H

#include "graphdevice.h"
#include "identity.h"
#include "pf.h"

/* GET /v1.0/users/{upn}?$select=id,userPrincipalName,accountEnabled */
typedef struct {
	char id[64];
	char upn[256];
	bool has_enabled;  /* accountEnabled was in the answer (Graph gives it only when selected) */
	bool enabled;
} pf_graph_user;

/* Reads the user object's members (printable ASCII, cut to fit). PF_OK when the body is one JSON
 * object; PF_ERR_INVALID / PF_ERR_TRUNCATED otherwise (ret untouched), PF_ERR_NOMEM. */
PF_MUST_CHECK pf_status pf_graph_user_read(const void *body, size_t len, pf_graph_user *ret);

/* GET /v1.0/users/{upn}/licenseDetails */
typedef struct {
	size_t skus, plans;      /* licences and service plans in the answer */
	bool intune;             /* an Intune service plan is provisioned (provisioningStatus Success) */
	char plan[32];           /* that plan's name (INTUNE_A, ...); else an Intune plan seen in another state */
	char status[24];         /* that plan's provisioningStatus ("" when no Intune plan was seen) */
	char sku[64];            /* the skuPartNumber that carries it */
	bool has_next;           /* the answer has a next page (@odata.nextLink) */
} pf_graph_licenses;

/*
 * Reads a licenseDetails answer: {"value": [{"skuPartNumber", "servicePlans": [{"servicePlanId",
 * "servicePlanName", "provisioningStatus"}]}]}, members in any order. Intune plans are matched by
 * id, else by name (pf_intune_plans). Same statuses as pf_graph_user_read.
 */
PF_MUST_CHECK pf_status pf_graph_licenses_read(const void *body, size_t len, pf_graph_licenses *ret);

/* What the user-side checks found, for the report and the screen. */
typedef struct {
	bool checked;            /* the checks ran (Graph was asked about this user) */
	char upn[256];           /* the user ("" none known) */
	const char *source;      /* "record", "graph.expected_user" or NULL */
	char reason[160];        /* why not checked, or what was left unchecked */
	pf_tri exists, enabled, licensed;
	char id[64];             /* the user's object id */
	pf_tri join_allowed;     /* Entra join allowed for the user (device registration policy) */
	const char *join;        /* the policy's kind: "all", "selected", "none" (pf_join_kind_str), NULL unread */
	pf_tri quota_left;       /* the user can register one more device */
	int64_t quota;           /* userDeviceQuota (-1 unread) */
	int64_t devices;         /* the user's devices the quota counts (-1 unread) */
	char plan[32], status[24], sku[64]; /* the Intune plan found (pf_graph_licenses) */
	/* What the user will wait for: the Autopilot device (beta), its profile, the ESP that applies. */
	char userless[24];       /* the device's userlessEnrollmentStatus ("" unread) */
	bool has_profile;
	pf_deploy_profile profile;
	bool has_esp;
	char esp_name[64], esp_why[96];
	int64_t esp_timeout_min; /* installProgressTimeoutInMinutes (-1 not given) */
	size_t esp_apps;         /* blocking apps (selectedMobileAppIds) */
	pf_tri esp_shown;        /* showInstallationProgress */
	bool esp_uncertain;      /* a higher-priority ESP may apply: a group membership was not read */
	char limit_name[64];     /* the Intune device limit restriction that applies ("" unread) */
	int64_t enrol_limit;     /* its limit (-1 unread) */
	int64_t enrolled;        /* the user's Intune managed devices (-1 unread) */
} pf_user_result;

/* Which user the flow will see: the record's assigned user, else graph.expected_user. */
void pf_user_pick(const char *record_upn, const char *expected_user, pf_user_result *ret);

/* The service plans that let a user enrol a device in Intune (INTUNE_O365, basic mobility for
 * Office 365, does not). */
typedef struct {
	const char *name;
	const char *id;
} pf_intune_plan;
const pf_intune_plan *pf_intune_plans(size_t *ret_n);

#endif
