/* Secure Boot state judged into findings: off, setup mode, the 2023 Microsoft CAs, expiry, look-alikes. */
#include "secboot.h"
#include "buf.h"
#include "str.h"

const char *pf_sb_store_name(pf_sb_store s)
{
	static const char *const names[PF_SB__COUNT] = { "PK", "KEK", "db", "dbx" };
	return (unsigned)s < PF_SB__COUNT ? names[s] : "?";
}

const char *pf_sb_time_source_str(pf_sb_time_source s)
{
	switch (s) {
	case PF_SB_TIME_RTC:
		return "rtc";
	case PF_SB_TIME_NETWORK:
		return "network";
	default:
		return "none";
	}
}

void pf_secboot_init(pf_secboot *sb)
{
	*sb = (pf_secboot){ .secure_boot = PF_UNKNOWN, .setup_mode = PF_UNKNOWN, .audit_mode = PF_UNKNOWN,
		            .deployed_mode = PF_UNKNOWN };
	for (int i = 0; i < PF_SB__COUNT; i++)
		sb->lists[i].present = PF_UNKNOWN;
}

void pf_sb_list_free(pf_sb_list *l)
{
	for (size_t i = 0; i < l->n_certs; i++) {
		pf_free(l->certs[i].subject_cn);
		pf_free(l->certs[i].issuer_cn);
		pf_free(l->certs[i].subject);
		pf_free(l->certs[i].issuer);
		pf_free(l->certs[i].der);
	}
	pf_free(l->sha256);
	pf_free(l->tbs);
	pf_free(l->certs);
	pf_free(l->error);
	*l = (pf_sb_list){ .present = PF_UNKNOWN };
}

void pf_secboot_free(pf_secboot *sb)
{
	for (int i = 0; i < PF_SB__COUNT; i++)
		pf_sb_list_free(&sb->lists[i]);
	pf_secboot_init(sb);
}

bool pf_sb_cert_expired(const pf_sb_cert *c, const pf_time *now, pf_sb_time_source source)
{
	if (source == PF_SB_TIME_NONE || !now || !pf_time_valid(now) || !c->dates_valid)
		return false;
	const pf_x509_time *a = &c->not_after;
	pf_time t = { .year = a->year, .month = a->month, .day = a->day, .hour = a->hour, .minute = a->minute,
		      .second = a->second, .has_tz = true };
	return pf_time_to_unix(now) > pf_time_to_unix(&t);
}

const char *pf_sb_cert_name(const pf_sb_cert *c)
{
	if (c->subject_cn)
		return c->subject_cn;
	return c->subject ? c->subject : c->sha1;
}

bool pf_sb_list_has(const pf_sb_list *l, const char *role)
{
	for (size_t i = 0; i < l->n_certs; i++)
		if (l->certs[i].known && pf_strcmp(l->certs[i].known->role, role) == 0)
			return true;
	return false;
}

/* "KEK holds: A, B" for a missing-CA finding, so the technician sees what is there instead. */
static void holds_detail(pf_finding *fd, const pf_sb_list *l, pf_sb_store s)
{
	if (!fd)
		return;
	pf_buf b = { 0 };
	if (l->present == PF_NO)
		pf_buf_printf(&b, "%s variable is absent", pf_sb_store_name(s));
	else if (l->n_certs == 0)
		pf_buf_printf(&b, "%s holds no certificate", pf_sb_store_name(s));
	else
		pf_buf_printf(&b, "%s holds:", pf_sb_store_name(s));
	for (size_t i = 0; l->present != PF_NO && i < l->n_certs; i++)
		pf_buf_printf(&b, "%s %s", i ? ";" : "", pf_sb_cert_name(&l->certs[i]));
	if (!b.oom)
		pf_finding_detail(fd, "%s", b.p);
	pf_buf_free(&b);
}

/* Severity of a missing 2023 CA: the config decides whether it stops the deployment. */
static void missing_ca(pf_findings *f, pf_code code, const pf_config *cfg, const pf_sb_list *l, pf_sb_store s,
                       const char *cn)
{
	pf_finding *fd = pf_finding_add(f, code, "%s lacks the \"%s\" certificate.", pf_sb_store_name(s), cn);
	if (fd && cfg->require_2023_secure_boot_keys)
		fd->severity = PF_SEV_ERROR;
	holds_detail(fd, l, s);
}

static void check_expired(const pf_secboot *sb, const pf_time *now, pf_sb_time_source source, pf_findings *f)
{
	static const pf_sb_store stores[] = { PF_SB_PK, PF_SB_KEK, PF_SB_DB };
	pf_buf b = { 0 };
	size_t n = 0;
	char when[32];

	for (size_t k = 0; k < PF_ARRAY_SIZE(stores); k++) {
		const pf_sb_list *l = &sb->lists[stores[k]];
		for (size_t i = 0; i < l->n_certs; i++) {
			if (!pf_sb_cert_expired(&l->certs[i], now, source))
				continue;
			pf_x509_time_str(&l->certs[i].not_after, when, sizeof(when));
			pf_buf_printf(&b, "%s%s: %s (%s)", n ? "; " : "", pf_sb_store_name(stores[k]),
			              pf_sb_cert_name(&l->certs[i]), when);
			n++;
		}
	}
	if (n) {
		pf_time_iso(now, when, sizeof(when));
		pf_finding *fd = pf_finding_add(f, PF_SB_CERT_EXPIRED, "%zu Secure Boot certificate%s past %s expiry date.", n,
		                                n == 1 ? " is" : "s are", n == 1 ? "its" : "their");
		if (fd && !b.oom)
			pf_finding_detail(fd, "%s; judged against %s %s", b.p,
			                  source == PF_SB_TIME_NETWORK ? "network time" : "the RTC", when);
	}
	pf_buf_free(&b);
}

void pf_secboot_check(const pf_secboot *sb, const pf_config *cfg, const pf_time *now, pf_sb_time_source source,
                      pf_findings *f)
{
	pf_finding *fd;

	if (sb->secure_boot == PF_NO) {
		fd = pf_finding_add(f, PF_ID_SECURE_BOOT_OFF, "Secure Boot is disabled.");
		if (fd && cfg->require_secure_boot) {
			fd->severity = PF_SEV_ERROR;
			pf_finding_detail(fd, "required by identity.require_secure_boot");
		}
	}
	if (!sb->read)
		return;

	for (int s = 0; s < PF_SB__COUNT; s++) {
		const pf_sb_list *l = &sb->lists[s];
		if (!l->error)
			continue;
		fd = pf_finding_add(f, PF_SB_LIST_INVALID, "The %s variable's signature lists are damaged.",
		                    pf_sb_store_name((pf_sb_store)s));
		pf_finding_detail(fd, "%s: %s", pf_sb_store_name((pf_sb_store)s), l->error);
	}

	/* Certificates that carry a Microsoft CA's name without its key do not count as that CA. */
	for (int s = PF_SB_PK; s <= PF_SB_DB; s++) {
		const pf_sb_list *l = &sb->lists[s];
		for (size_t i = 0; i < l->n_certs; i++) {
			const pf_sb_cert *c = &l->certs[i];
			if (!c->lookalike)
				continue;
			fd = pf_finding_add(f, PF_SB_CERT_LOOKALIKE, "%s holds a certificate named \"%s\" that is not Microsoft's.",
			                    pf_sb_store_name((pf_sb_store)s), c->subject_cn);
			pf_finding_detail(fd, "%s: SHA-1 %s, issuer %s; owner %s", pf_sb_store_name((pf_sb_store)s), c->sha1,
			                  c->issuer ? c->issuer : "(unreadable)", c->owner);
		}
	}

	bool setup = sb->setup_mode == PF_YES || sb->lists[PF_SB_PK].present == PF_NO;
	if (setup) {
		fd = pf_finding_add(f, PF_SB_SETUP_MODE, "Windows cannot use Secure Boot: no Platform Key (setup mode).");
		if (fd && cfg->require_secure_boot)
			fd->severity = PF_SEV_ERROR;
		pf_finding_detail(fd, "SetupMode=%s, PK %s", sb->setup_mode == PF_YES ? "1" : sb->setup_mode == PF_NO ? "0" : "unknown",
		                  sb->lists[PF_SB_PK].present == PF_NO ? "absent" : sb->lists[PF_SB_PK].present == PF_YES ? "present" : "unreadable");
	}

	/* Keys that could not be read say nothing; in setup mode any key can still be enrolled. */
	const pf_sb_list *kek = &sb->lists[PF_SB_KEK], *db = &sb->lists[PF_SB_DB];
	if (!setup && kek->present != PF_UNKNOWN && db->present != PF_UNKNOWN) {
		if (!pf_sb_list_has(kek, "kek-2023"))
			missing_ca(f, PF_SB_KEK_2023_MISSING, cfg, kek, PF_SB_KEK, pf_sb_known_by_role("kek-2023")->cn);
		if (!pf_sb_list_has(db, "windows-2023"))
			missing_ca(f, PF_SB_DB_WINDOWS_2023_MISSING, cfg, db, PF_SB_DB, pf_sb_known_by_role("windows-2023")->cn);
		if (!pf_sb_list_has(db, "uefi-2023") && pf_sb_list_has(db, "uefi-2011")) {
			fd = pf_finding_add(f, PF_SB_DB_UEFI_2023_MISSING, "db trusts \"%s\" but lacks \"%s\".",
			                    pf_sb_known_by_role("uefi-2011")->cn, pf_sb_known_by_role("uefi-2023")->cn);
			holds_detail(fd, db, PF_SB_DB);
		}
		/* Secured-core and many Arm PCs ship with Microsoft's third-party CA (either generation) kept out
		 * of db: Windows boots, shim and option ROMs signed by that CA do not. */
		if (!pf_sb_list_has(db, "uefi-2011") && !pf_sb_list_has(db, "uefi-2023")) {
			fd = pf_finding_add(f, PF_SB_DB_THIRD_PARTY_CA_MISSING,
			                    "db trusts neither \"%s\" nor \"%s\" (Microsoft's third-party CA).",
			                    pf_sb_known_by_role("uefi-2011")->cn, pf_sb_known_by_role("uefi-2023")->cn);
			holds_detail(fd, db, PF_SB_DB);
		}
	}

	check_expired(sb, now, source, f);
}
