/* Intune's enrolment configurations from Graph: the Enrollment Status Page and device limit that apply to a device and user. */
#ifndef PF_GRAPHENROL_H
#define PF_GRAPHENROL_H

#include "identity.h"
#include "pf.h"

#define PF_ENROL_CONFIGS_MAX 32   /* ESP and limit configurations kept (Intune allows 25 limits) */
#define PF_ENROL_TARGETS_MAX 8    /* assignments kept per configuration */
#define PF_ENROL_GROUPS_MAX 48    /* distinct group ids the assignments name */

typedef enum { PF_ENROL_ESP, PF_ENROL_LIMIT } pf_enrol_kind;

typedef enum {
	PF_TARGET_OTHER,       /* a target type not known here: never applies */
	PF_TARGET_GROUP,       /* #microsoft.graph.groupAssignmentTarget */
	PF_TARGET_EXCLUDE,     /* #microsoft.graph.exclusionGroupAssignmentTarget */
	PF_TARGET_ALL_USERS,   /* #microsoft.graph.allLicensedUsersAssignmentTarget */
	PF_TARGET_ALL_DEVICES, /* #microsoft.graph.allDevicesAssignmentTarget */
} pf_target_kind;

typedef struct {
	pf_target_kind kind;
	char group[40];
} pf_enrol_target;

typedef struct {
	pf_enrol_kind kind;
	bool is_default;          /* the tenant's default (applies when no assigned one does) */
	char name[64];
	int64_t priority;         /* 1 is the highest; -1 not given */
	int64_t limit;            /* LIMIT: devices a user may enrol (-1 not given) */
	int64_t timeout_min;      /* ESP: installProgressTimeoutInMinutes (-1 not given) */
	size_t blocking_apps;     /* ESP: selectedMobileAppIds */
	pf_tri show_progress;     /* ESP: showInstallationProgress (false: no ESP is shown) */
	pf_tri use_on_failure;    /* ESP: allowDeviceUseOnInstallFailure */
	pf_enrol_target targets[PF_ENROL_TARGETS_MAX];
	size_t n_targets;
	bool targets_cut;
} pf_enrol_config;

/* GET /beta/deviceManagement/deviceEnrollmentConfigurations?$expand=assignments */
typedef struct {
	pf_enrol_config c[PF_ENROL_CONFIGS_MAX];
	size_t n;
	size_t entries;           /* configurations of every kind in the answer */
	bool cut;                 /* more ESP/limit configurations than kept */
	bool has_next;
} pf_enrol_configs;

/* Reads the collection, keeping the ESP (windows10EnrollmentCompletionPageConfiguration) and limit
 * (deviceEnrollmentLimitConfiguration) entries. PF_OK for one JSON object, else PF_ERR_INVALID /
 * PF_ERR_TRUNCATED (ret untouched), PF_ERR_NOMEM. ret is large: callers allocate it. */
PF_MUST_CHECK pf_status pf_enrol_configs_read(const void *body, size_t len, pf_enrol_configs *ret);

/* The distinct group ids the kept configurations' assignments name (at most PF_ENROL_GROUPS_MAX;
 * *ret_cut when there were more). */
size_t pf_enrol_groups(const pf_enrol_configs *cs, char (*ret_ids)[40], size_t cap, bool *ret_cut);

/* Is the device (unless users_only) or the user in a group; *ret_device: through the device.
 * PF_UNKNOWN when that membership was not read. */
typedef pf_tri (*pf_in_group_fn)(void *ctx, const char *group, bool users_only, bool *ret_device);

typedef struct {
	const pf_enrol_config *config;  /* NULL: none of the kind */
	char why[96];                   /* "all devices", "group <id> (the device is in it)", "default" */
	bool uncertain;                 /* a higher-priority one might apply: a membership was unknown */
} pf_enrol_pick;

/*
 * The configuration of a kind that applies: of the assigned ones the one with the lowest priority
 * number whose targets include the device or the user (all devices, all users, a group they are
 * in) and no exclusion group they are in; else the default. Limits are per user: device targets
 * do not count for them.
 */
void pf_enrol_choose(const pf_enrol_configs *cs, pf_enrol_kind kind, pf_in_group_fn in_group, void *ctx,
		     pf_enrol_pick *ret);

#endif
