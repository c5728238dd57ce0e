/* May the user Entra-join one more device: the device registration policy, the user's devices and groups from Graph. */
#ifndef PF_GRAPHJOIN_H
#define PF_GRAPHJOIN_H

#include "pf.h"

typedef enum { PF_JOIN_UNKNOWN, PF_JOIN_ALL, PF_JOIN_SELECTED, PF_JOIN_NONE } pf_join_kind;

#define PF_JOIN_IDS_MAX 20  /* object ids kept per list (checkMemberGroups takes 20 per call) */

/* GET /v1.0/policies/deviceRegistrationPolicy */
typedef struct {
	bool has_quota;
	int64_t quota;                       /* userDeviceQuota */
	pf_join_kind join;                   /* azureADJoin.allowedToJoin's @odata.type */
	char users[PF_JOIN_IDS_MAX][40];     /* with PF_JOIN_SELECTED: the users and groups allowed */
	char groups[PF_JOIN_IDS_MAX][40];
	size_t n_users, n_groups;
	bool ids_cut;                        /* more ids than kept */
} pf_join_policy;

/* Reads the policy; members in any order, ids printable ASCII. PF_OK for one JSON object, else
 * PF_ERR_INVALID / PF_ERR_TRUNCATED (ret untouched), PF_ERR_NOMEM. */
PF_MUST_CHECK pf_status pf_join_policy_read(const void *body, size_t len, pf_join_policy *ret);

/* GET /v1.0/users/{upn}/ownedDevices?$top=999: the devices that count against the quota (Entra
 * joined or registered: trustType AzureAd or Workplace, or no trustType given; hybrid-joined
 * ServerAd devices do not). */
typedef struct {
	size_t devices;   /* device objects on the page */
	size_t counted;   /* of them, those the quota counts */
	bool has_next;    /* more pages */
} pf_owned_devices;
PF_MUST_CHECK pf_status pf_owned_devices_read(const void *body, size_t len, pf_owned_devices *ret);

/* GET /v1.0/users/{upn}/transitiveMemberOf?$select=id&$top=999 (or a device's): is any of ids[0..n)
 * among the page's object ids; ret_hits (NULL or n entries) says which. */
typedef struct {
	bool member;      /* one of the ids is on the page */
	char group[40];   /* which */
	size_t objects;   /* objects on the page */
	bool has_next;
} pf_member_of;
PF_MUST_CHECK pf_status pf_member_of_read(const void *body, size_t len, const char (*ids)[40], size_t n,
					  bool *ret_hits, pf_member_of *ret);

/* Any collection page: its entries and whether more pages follow (e.g. the user's managedDevices). */
typedef struct {
	size_t entries;
	bool has_next;
} pf_graph_count;
PF_MUST_CHECK pf_status pf_graph_count_read(const void *body, size_t len, pf_graph_count *ret);

const char *pf_join_kind_str(pf_join_kind k);

#endif
