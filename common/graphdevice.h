/* The device's side of the user flow from Graph (beta): its userless enrolment status and deployment profile. */
#ifndef PF_GRAPHDEVICE_H
#define PF_GRAPHDEVICE_H

#include "identity.h"
#include "pf.h"

/* GET /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id} */
typedef struct {
	char userless[24];        /* userlessEnrollmentStatus: unknown, allowed, blocked ("" not given) */
	char profile_status[40];  /* deploymentProfileAssignmentStatus ("" not given) */
	char aad_device_id[40];   /* azureAdDeviceId (beta) or azureActiveDirectoryDeviceId (v1.0) */
} pf_ap_identity;

/* Reads the identity (members in any order, printable ASCII, cut to fit). PF_OK for one JSON
 * object, else PF_ERR_INVALID / PF_ERR_TRUNCATED (ret untouched), PF_ERR_NOMEM. */
PF_MUST_CHECK pf_status pf_ap_identity_read(const void *body, size_t len, pf_ap_identity *ret);

/* GET /beta/deviceManagement/windowsAutopilotDeviceIdentities/{id}/deploymentProfile */
typedef struct {
	char name[64];            /* displayName */
	const char *join;         /* "entra" (azureADWindowsAutopilotDeploymentProfile), "hybrid"
	                           * (activeDirectory...), NULL when the type is not given or not known */
	pf_tri preprovisioning;   /* preprovisioningAllowed, else the older enableWhiteGlove */
	pf_tri self_deploying;    /* outOfBoxExperienceSetting(s).deviceUsageType: shared = self-deploying */
	char user_type[16];       /* outOfBoxExperienceSetting(s).userType: administrator, standard */
} pf_deploy_profile;

/* Reads the profile; the entity itself or wrapped in "value": {...} as Intune's examples show.
 * Statuses as pf_ap_identity_read. */
PF_MUST_CHECK pf_status pf_deploy_profile_read(const void *body, size_t len, pf_deploy_profile *ret);

/* "user-driven", "self-deploying", or "user-driven, pre-provisioning allowed" for the report. */
const char *pf_deploy_profile_mode(const pf_deploy_profile *p);

#endif
