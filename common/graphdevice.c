/* The device's side of the user flow from Graph: userless enrolment status and deployment profile (docs/user-checks.md). */
#include "graphdevice.h"
#include "fmt.h"
#include "jsonpath.h"
#include "str.h"

typedef struct {
	pf_jsonpath path;
	bool object;
	pf_ap_identity id;
} identity_ctx;

static bool identity_event(void *ctx, const pf_jsonscan_event *ev)
{
	identity_ctx *c = ctx;
	pf_jsonpath_event(&c->path, ev);
	if (ev->depth == 0)
		c->object |= ev->type == PF_JEV_OBJ_START;
	if (ev->type != PF_JEV_STRING)
		return true;
	if (pf_jsonpath_is(&c->path, ev, 1, "userlessEnrollmentStatus"))
		pf_copy_printable(c->id.userless, sizeof(c->id.userless), ev->val);
	else if (pf_jsonpath_is(&c->path, ev, 1, "deploymentProfileAssignmentStatus"))
		pf_copy_printable(c->id.profile_status, sizeof(c->id.profile_status), ev->val);
	else if (pf_jsonpath_is(&c->path, ev, 1, "azureAdDeviceId") ||
		 pf_jsonpath_is(&c->path, ev, 1, "azureActiveDirectoryDeviceId"))
		pf_copy_printable(c->id.aad_device_id, sizeof(c->id.aad_device_id), ev->val);
	return true;
}

pf_status pf_ap_identity_read(const void *body, size_t len, pf_ap_identity *ret)
{
	identity_ctx *c = pf_malloc(sizeof(*c));
	if (!c)
		return PF_ERR_NOMEM;
	*c = (identity_ctx){ .object = false };
	pf_status st = pf_jsonscan_whole(body, len, identity_event, c, false);
	if (st == PF_OK && !c->object)
		st = PF_ERR_INVALID;
	if (st == PF_OK)
		*ret = c->id;
	pf_free(c);
	return st;
}

typedef struct {
	pf_jsonpath path;
	bool object;
	unsigned from;          /* the depth of the profile's members: 1, or 2 inside "value": {...} */
	pf_tri white_glove;     /* enableWhiteGlove, used when preprovisioningAllowed is absent */
	pf_deploy_profile p;
} profile_ctx;

static pf_tri tri_of(const pf_jsonscan_event *ev)
{
	return ev->type == PF_JEV_TRUE ? PF_YES : ev->type == PF_JEV_FALSE ? PF_NO : PF_UNKNOWN;
}

/* The OOBE settings: the current outOfBoxExperienceSetting or the deprecated ...Settings. */
static bool oobe(const profile_ctx *c, const pf_jsonscan_event *ev, const char *member)
{
	char a[64], b[64];
	pf_snprintf(a, sizeof(a), "outOfBoxExperienceSetting/%s", member);
	pf_snprintf(b, sizeof(b), "outOfBoxExperienceSettings/%s", member);
	return pf_jsonpath_is(&c->path, ev, c->from, a) || pf_jsonpath_is(&c->path, ev, c->from, b);
}

static bool profile_event(void *ctx, const pf_jsonscan_event *ev)
{
	profile_ctx *c = ctx;
	pf_jsonpath_event(&c->path, ev);
	if (ev->depth == 0)
		c->object |= ev->type == PF_JEV_OBJ_START;
	if (ev->depth == 1 && ev->type == PF_JEV_OBJ_START && pf_span_eq_cstr_nocase(pf_span_of(c->path.key[1]), "value"))
		c->from = 2;
	if (ev->type == PF_JEV_STRING) {
		if (pf_jsonpath_is(&c->path, ev, c->from, "@odata.type")) {
			if (pf_span_eq_cstr_nocase(ev->val, "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile"))
				c->p.join = "entra";
			else if (pf_span_eq_cstr_nocase(ev->val, "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile"))
				c->p.join = "hybrid";
		} else if (pf_jsonpath_is(&c->path, ev, c->from, "displayName"))
			pf_copy_printable(c->p.name, sizeof(c->p.name), ev->val);
		else if (oobe(c, ev, "deviceUsageType"))
			c->p.self_deploying = pf_span_eq_cstr_nocase(ev->val, "shared") ? PF_YES : PF_NO;
		else if (oobe(c, ev, "userType"))
			pf_copy_printable(c->p.user_type, sizeof(c->p.user_type), ev->val);
	} else if (ev->type == PF_JEV_TRUE || ev->type == PF_JEV_FALSE) {
		if (pf_jsonpath_is(&c->path, ev, c->from, "preprovisioningAllowed"))
			c->p.preprovisioning = tri_of(ev);
		else if (pf_jsonpath_is(&c->path, ev, c->from, "enableWhiteGlove"))
			c->white_glove = tri_of(ev);
	}
	return true;
}

pf_status pf_deploy_profile_read(const void *body, size_t len, pf_deploy_profile *ret)
{
	profile_ctx *c = pf_malloc(sizeof(*c));
	if (!c)
		return PF_ERR_NOMEM;
	*c = (profile_ctx){ .from = 1, .white_glove = PF_UNKNOWN,
			    .p = { .preprovisioning = PF_UNKNOWN, .self_deploying = PF_UNKNOWN } };
	pf_status st = pf_jsonscan_whole(body, len, profile_event, c, false);
	if (st == PF_OK && !c->object)
		st = PF_ERR_INVALID;
	if (st == PF_OK) {
		if (c->p.preprovisioning == PF_UNKNOWN)
			c->p.preprovisioning = c->white_glove;
		*ret = c->p;
	}
	pf_free(c);
	return st;
}

const char *pf_deploy_profile_mode(const pf_deploy_profile *p)
{
	if (p->self_deploying == PF_YES)
		return "self-deploying";
	return p->preprovisioning == PF_YES ? "user-driven, pre-provisioning allowed" : "user-driven";
}
