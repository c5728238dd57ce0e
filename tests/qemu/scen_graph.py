"""QEMU scenarios for the online record lookup in Microsoft Graph (efi/graph_online.c) over the hermetic test network.

The test network's HTTPS server answers graph.microsoft.com's Autopilot device lookup by bearer token
(scripts/testnet-servers.py): good-token, bad-token, throttle-token (one 429, then good) and throttle-always.
Every scenario also asserts that the token never reaches the serial console or any file in the reports folder.
The graph-signin-* scenarios sign in with the device code flow at the fake login.microsoftonline.com (user code
PFTEST123, pending twice, then good-token; declined-client and expired-client are refused); the device code
(PFDEVCODE-...) must never appear either.
"""
from rig import Scenario, assert_secret_absent

SERIAL = "PF-GRAPH-0001"
SMBIOS = ["type=1,manufacturer=Contoso,product=Contoso Book 14,version=A01,serial=" + SERIAL]
TOKEN_FILE = "preflight/graph-token.txt"
INI = ("[after]\naction = shutdown\n"
       "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n"
       "[network]\ntimeout_ms = 3000\ndhcp_timeout_ms = 15000\nipv6_wait_ms = 0\n"  # no IPv6 on these networks (scen_network.NET_INI)
       "endpoints = http:www.msftconnecttest.com:80, ntp:time.windows.com:123, https:login.microsoftonline.com\n"
       "[graph]\nenabled = true\n{graph}")
GRAPH_CODES = ["GRAPH-AUTH-FAILED", "GRAPH-THROTTLED", "GRAPH-UNREACHABLE"]
REC_ERRORS = ["REC-NONE-AVAILABLE", "REC-FILE-INVALID", "REC-NOT-FOUND", "REC-AMBIGUOUS", "REC-MANUFACTURER-MISMATCH",
              "REC-MODEL-MISMATCH", "REC-NO-ASSIGNED-USER"]
SOURCE = "graph:https://graph.microsoft.com"


def finding(doc, code):
    hits = [f for f in doc["findings"] if f["code"] == code]
    if not hits:
        raise AssertionError(f"no {code}; findings {[f['code'] for f in doc['findings']]}")
    return hits[0]


def secret_kept(token):
    """The token appears nowhere: serial console, JSON and text reports, ledger."""
    def check(runs):
        for run in runs:
            assert_secret_absent(run, [token], "token")
    return check


def graph(name, token="good-token", graph_ini=None, net=None, extra=None, files=None, serial=SERIAL, **kw):
    ini = INI.format(graph=graph_ini if graph_ini is not None else "token_file = \\preflight\\graph-token.txt\n")
    stick = {TOKEN_FILE: token + "\n"} if token else {}
    stick.update(files or {})

    def check(runs):
        secret_kept(token or "good-token")(runs)
        if extra:
            extra(runs[0].report_json(), runs[0])
    smbios = [SMBIOS[0].replace(SERIAL, serial)]
    return Scenario("graph-" + name, smbios=smbios, ini=ini, files=stick, net=[] if net is None else net,
                    check=check, timeout=120, **kw)


def found_extra(doc, run):
    rec = doc["record"]
    # Page 1 holds a near miss (serial + "-OLD") and a nextLink; the device is the first entry of page 2.
    if rec["records_seen"] != 2 or rec["line"] != 1 or rec["serial"] != SERIAL:
        raise AssertionError(f"record: seen {rec['records_seen']}, line {rec['line']}, serial {rec['serial']}")
    if rec["assigned_user"] != "user@contoso.example" or rec["group_tag"] != "preflight-test":
        raise AssertionError(f"record fields: {rec}")
    print(f"qemu: graph: {[l.strip() for l in run.lines if 'found online' in l][:1]}", flush=True)


def auth_extra(doc, run):
    f = finding(doc, "GRAPH-AUTH-FAILED")
    if "HTTP 401" not in f["message"] or "InvalidAuthenticationToken" not in (f["detail"] or ""):
        raise AssertionError(f"GRAPH-AUTH-FAILED: {f['message']!r} / {f['detail']!r}")
    if "online lookup failed" not in finding(doc, "REC-NONE-AVAILABLE")["message"]:
        raise AssertionError("REC-NONE-AVAILABLE does not mention the failed online lookup")


def throttled_ok_extra(doc, run):
    found_extra(doc, run)
    if not any("HTTP 429" in l for l in run.lines):
        raise AssertionError("no 429 wait on the console")


def throttled_extra(doc, run):
    f = finding(doc, "GRAPH-THROTTLED")
    if "after 2 retries" not in (f["detail"] or "") or f["severity"] != "warn":
        raise AssertionError(f"GRAPH-THROTTLED: {f['severity']} {f['detail']!r}")


def unreachable_extra(doc, run):
    f = finding(doc, "GRAPH-UNREACHABLE")
    if "host=graph.microsoft.com" not in (f["detail"] or "") or "name does not exist" not in f["detail"]:
        raise AssertionError(f"GRAPH-UNREACHABLE detail {f['detail']!r}")


def missing_extra(doc, run):
    f = finding(doc, "GRAPH-AUTH-FAILED")
    if "not found" not in (f["detail"] or "") or "missing-token.txt" not in f["detail"]:
        raise AssertionError(f"GRAPH-AUTH-FAILED detail {f['detail']!r}")


def http_extra(doc, run):
    # Graph's nextLink is https: with an http:// endpoint it leaves the configured service and is not followed.
    rec = doc["record"]
    if rec["records_seen"] != 1 or rec["files_used"] != 1:
        raise AssertionError(f"record: seen {rec['records_seen']}, files_used {rec['files_used']}")
    if not any("not followed" in l for l in run.lines):
        raise AssertionError("no 'not followed' warning on the console")


SIGNIN_PROMPT = "Sign in at https://microsoft.com/devicelogin with code PFTEST123"


def signin_ini(client):
    return "tenant = contoso.example\nclient_id = %s\n" % client


def signin_shown(run):
    secret_kept("PFDEVCODE")([run])
    if not any(SIGNIN_PROMPT in l for l in run.lines):
        raise AssertionError("the sign-in prompt with the user code is not on the console")


def signin_found_extra(doc, run):
    signin_shown(run)
    found_extra(doc, run)
    if not any("Signed in after" in l for l in run.lines):
        raise AssertionError("no 'Signed in' line on the console")
    print(f"qemu: graph: {[l.strip() for l in run.lines if 'Sign' in l]}", flush=True)


def signin_refused_extra(error):
    def extra(doc, run):
        signin_shown(run)
        f = finding(doc, "GRAPH-AUTH-FAILED")
        if error not in f["message"] or error not in (f["detail"] or "") or "Trace ID" in f["message"]:
            raise AssertionError(f"GRAPH-AUTH-FAILED: {f['message']!r} / {f['detail']!r}")
        print(f"qemu: graph: {f['message']!r} / {f['detail']!r}", flush=True)
        if "online lookup failed" not in finding(doc, "REC-NONE-AVAILABLE")["message"]:
            raise AssertionError("REC-NONE-AVAILABLE does not mention the failed online lookup")
    return extra


USER_CODES = ["USER-NOT-FOUND", "USER-DISABLED", "USER-NO-INTUNE-LICENSE", "USER-CHECK-INCOMPLETE"]


def user_extra(upn, findings, step_verdicts=None, then=None, **want):
    """The report's user object (want: field -> value) and exactly these USER-* findings (code -> severity)."""
    def extra(doc, run):
        u = doc["user"]
        if not u or u["upn"] != upn or u["source"] != "record" or not u["checked"]:
            raise AssertionError(f"user {u}")
        for k, v in want.items():
            if u[k] != v:
                raise AssertionError(f"user.{k} {u[k]!r}, expected {v!r}: {u}")
        got = {f["code"]: f["severity"] for f in doc["findings"] if f["code"].startswith("USER-")}
        if got != findings:
            raise AssertionError(f"USER findings {got}, expected {findings}: "
                                 f"{[(f['code'], f['message'], f['detail']) for f in doc['findings']]}")
        steps = {s["step"]: s["verdict"] for s in doc["steps"]}
        for step, verdict in (step_verdicts or {}).items():
            if steps.get(step) != verdict:
                raise AssertionError(f"step {step}: {steps.get(step)}, expected {verdict}")
        if "User: " + upn not in run.serial:
            raise AssertionError("no 'User:' block on the console")
        if then:
            then(doc, run)
    return extra


def incomplete_names(doc, permission):
    f = finding(doc, "USER-CHECK-INCOMPLETE")
    if permission not in f["message"] or "HTTP 403" not in f["message"]:
        raise AssertionError(f"USER-CHECK-INCOMPLETE {f['message']!r} does not name {permission}")


def profile_is(doc, mode):
    p = doc["user"]["deployment_profile"] or {}
    if p.get("mode") != mode:
        raise AssertionError(f"deployment_profile {p}, expected mode {mode!r}")


def phase_limit_named(doc, run):
    f = finding(doc, "USER-CHECK-INCOMPLETE")
    if "graph.user_timeout_ms = 2000" not in f["message"]:
        raise AssertionError(f"USER-CHECK-INCOMPLETE {f['message']!r} does not name the limit")
    if doc["user"]["esp"] is not None and doc["user"]["intune_devices"] is not None:
        raise AssertionError("every user check ran within a limit that 0.8 s per answer must exceed")


def forbidden_extra(doc, run):
    f = finding(doc, "USER-CHECK-INCOMPLETE")
    if "LicenseAssignment.Read.All" not in f["message"] or "HTTP 403" not in f["message"] or \
            "Authorization_RequestDenied" not in f["message"]:
        raise AssertionError(f"USER-CHECK-INCOMPLETE {f['message']!r}")


def signin_unreachable_extra(doc, run):
    f = finding(doc, "GRAPH-UNREACHABLE")
    if "host=login.microsoftonline.com" not in (f["detail"] or "") or "name does not exist" not in f["detail"]:
        raise AssertionError(f"GRAPH-UNREACHABLE detail {f['detail']!r}")
    if any(SIGNIN_PROMPT in l for l in run.lines):
        raise AssertionError("a sign-in prompt without a device code answer")


def enrolment_extra(esp_name, esp_chosen, then=None):
    """The report's profile and ESP (scripts/testnet-servers.py ENROL) and the text report's lines for them."""
    def extra(doc, run):
        u = doc["user"]
        esp = u["esp"] or {}
        if esp.get("name") != esp_name or esp_chosen not in esp.get("chosen", "") or esp.get("uncertain"):
            raise AssertionError(f"esp {esp}, expected {esp_name!r} {esp_chosen!r}")
        p = u["deployment_profile"] or {}
        if p.get("name") != "Contoso Autopilot" or p.get("join") != "entra":
            raise AssertionError(f"deployment_profile {p}")
        text = b"".join(d for n, d in run.reports.items() if n.endswith(".txt")).decode(errors="replace")
        for line in ("  Profile        Contoso Autopilot: Entra join, ", "  ESP            " + esp_name + ": ",
                     "  Intune limit   "):
            if line not in text:
                raise AssertionError(f"text report lacks {line!r}")
        if then:
            then(doc, run)
    return extra


SCENARIOS = [
    graph("online-found", fields={"record.match": "found", "record.source": "graph-online", "record.file": SOURCE},
          no_findings=GRAPH_CODES + REC_ERRORS + ["REC-USERLESS-BLOCKED"],
          extra=user_extra("user@contoso.example", {}, exists=True, enabled=True,
                           intune_license=True, license_plan="INTUNE_A", license_sku="SPE_E3", join_policy="all",
                           join_allowed=True, device_quota=50, devices=2, quota_left=True,
                           userless_enrollment="unknown", enrollment_limit=5, enrollment_limit_name="Contoso limit",
                           intune_devices=2,
                           # Priority 1 names a group neither is in; 2 the device's group; the default is last.
                           then=enrolment_extra("Autopilot devices ESP",
                                                "group 0a11e7ed-0000-4000-8000-000000000010 (the device is in it)",
                                                then=found_extra))),
    # The Autopilot device's userless enrolment (scripts/testnet-servers.py graph_intune, by the serial).
    graph("userless-blocked-preprov", serial="PF-GRAPH-USERLESS-BLOCKED-PREPROV", no_findings=GRAPH_CODES,
          findings=["REC-USERLESS-BLOCKED"], verdict="NO-GO",
          extra=user_extra("user@contoso.example", {}, {"esp-device-setup": "NO-GO"}, userless_enrollment="blocked",
                           then=lambda d, r: profile_is(d, "user-driven, pre-provisioning allowed"))),
    graph("userless-blocked-selfdeploy", serial="PF-GRAPH-USERLESS-BLOCKED-SELFDEPLOY", no_findings=GRAPH_CODES,
          findings=["REC-USERLESS-BLOCKED"], verdict="NO-GO",
          extra=user_extra("user@contoso.example", {}, userless_enrollment="blocked",
                           then=lambda d, r: profile_is(d, "self-deploying"))),
    # Blocked, but a user-driven profile without pre-provisioning never enrols userless: no finding.
    graph("userless-blocked-user-driven", serial="PF-GRAPH-USERLESS-BLOCKED", no_findings=GRAPH_CODES +
          ["REC-USERLESS-BLOCKED"], verdict="WARN", extra=user_extra("user@contoso.example", {}, {"esp-device-setup": "WARN"},
                                                     userless_enrollment="blocked",
                                                     then=lambda d, r: profile_is(d, "user-driven"))),
    # The ESP by the user's group: a priority-1 ESP for a group the user is in (an exclusion the user is not in).
    graph("user-esp-user-group", token="esp-user-token", no_findings=GRAPH_CODES,
          extra=user_extra("user@contoso.example", {}, then=enrolment_extra(
              "Pilot users ESP", "group 0a11e7ed-0000-4000-8000-000000000002 (the user is in it)"))),
    # Intune's device limit reached: info only (Autopilot is not held to it); the verdict stays the
    # VM's WARN (Secure Boot in setup mode), as in online-found.
    graph("user-enrol-limit", token="limit-token", no_findings=GRAPH_CODES, verdict="WARN",
          extra=user_extra("user@contoso.example", {"USER-ENROLLMENT-LIMIT-REACHED": "info"},
                           {"esp-device-setup": "WARN"}, enrollment_limit=2, intune_devices=2)),
    # 403 on the enrolment configurations: named, the account, licence and join checks still ran.
    graph("user-configs-forbidden", token="configs-forbidden-token", no_findings=GRAPH_CODES,
          extra=user_extra("user@contoso.example", {"USER-CHECK-INCOMPLETE": "info"}, esp=None, enrollment_limit=None,
                           intune_license=True, join_allowed=True, quota_left=True, userless_enrollment="unknown",
                           then=lambda d, r: incomplete_names(d, "DeviceManagementServiceConfig.Read.All"))),
    # Every user-check answer 0.8 s late against a 2 s limit for the whole phase: cut off, named, the
    # report still written.
    graph("user-phase-limit", token="slow-token", no_findings=GRAPH_CODES,
          graph_ini="token_file = \\preflight\\graph-token.txt\nuser_timeout_ms = 2000\n",
          extra=user_extra("user@contoso.example", {"USER-CHECK-INCOMPLETE": "info"}, exists=True,
                           then=phase_limit_named)),
    # The user the record names, one fault each (scripts/testnet-servers.py GRAPH_USERS, chosen by the serial).
    graph("user-disabled", serial="PF-GRAPH-USER-DISABLED", no_findings=GRAPH_CODES,
          extra=user_extra("disabled@contoso.example", {"USER-DISABLED": "error"}, {"sign-in": "NO-GO"},
                           exists=True, enabled=False, intune_license=True)),
    graph("user-no-license", serial="PF-GRAPH-USER-NOLIC", no_findings=GRAPH_CODES,
          extra=user_extra("nolicense@contoso.example", {"USER-NO-INTUNE-LICENSE": "error"},
                           {"esp-device-setup": "NO-GO"}, exists=True, enabled=True, intune_license=False)),
    graph("user-missing", serial="PF-GRAPH-USER-MISSING", no_findings=GRAPH_CODES,
          extra=user_extra("missing@contoso.example", {"USER-NOT-FOUND": "error"}, {"sign-in": "NO-GO"},
                           exists=False, enabled=None, intune_license=None)),
    # The tenant's device registration policy, chosen by the token (scripts/testnet-servers.py POLICIES).
    graph("user-join-none", token="join-none-token", no_findings=GRAPH_CODES,
          extra=user_extra("user@contoso.example", {"USER-JOIN-NOT-ALLOWED": "error"}, {"sign-in": "NO-GO"},
                           join_policy="none", join_allowed=False, intune_license=True)),
    graph("user-join-group", token="join-group-token", no_findings=GRAPH_CODES,
          extra=user_extra("user@contoso.example", {}, {"sign-in": "GO"}, join_policy="selected", join_allowed=True)),
    graph("user-join-group-out", token="join-group-out-token", no_findings=GRAPH_CODES,
          extra=user_extra("user@contoso.example", {"USER-JOIN-NOT-ALLOWED": "error"}, join_policy="selected",
                           join_allowed=False)),
    # Two Entra devices (a hybrid-joined third does not count) against a quota of 2.
    graph("user-quota", token="quota-token", no_findings=GRAPH_CODES,
          extra=user_extra("user@contoso.example", {"USER-DEVICE-QUOTA-REACHED": "error"}, device_quota=2, devices=2,
                           quota_left=False, join_allowed=True)),
    graph("user-policy-forbidden", token="policy-forbidden-token", no_findings=GRAPH_CODES,
          extra=user_extra("user@contoso.example", {"USER-CHECK-INCOMPLETE": "info"}, join_policy=None,
                           join_allowed=None, device_quota=None, intune_license=True,
                           then=lambda d, r: incomplete_names(d, "Policy.Read.DeviceConfiguration"))),
    # 403 on licenseDetails: that check says which permission it lacks; the account check still ran.
    graph("user-forbidden", serial="PF-GRAPH-USER-FORBID", no_findings=GRAPH_CODES,
          extra=user_extra("forbidden@contoso.example", {"USER-CHECK-INCOMPLETE": "info"}, exists=True,
                           enabled=True, intune_license=None, then=forbidden_extra)),
    graph("auth-failed", token="bad-token", verdict="NO-GO", findings=["GRAPH-AUTH-FAILED", "REC-NONE-AVAILABLE"],
          no_findings=["GRAPH-THROTTLED", "GRAPH-UNREACHABLE"], fields={"record.match": "no-records"}, extra=auth_extra),
    graph("throttled-then-ok", token="throttle-token", fields={"record.match": "found", "record.source": "graph-online"},
          no_findings=GRAPH_CODES + REC_ERRORS, extra=throttled_ok_extra),
    graph("throttled", token="throttle-always", findings=["GRAPH-THROTTLED", "REC-NONE-AVAILABLE"],
          no_findings=["GRAPH-AUTH-FAILED", "GRAPH-UNREACHABLE"], extra=throttled_extra),
    graph("unreachable", net=["nxdomain:graph.microsoft.com"], verdict="NO-GO",
          findings=["GRAPH-UNREACHABLE", "REC-NONE-AVAILABLE"], no_findings=["GRAPH-AUTH-FAILED", "GRAPH-THROTTLED"],
          extra=unreachable_extra),
    # About 6 KB of token: the request spans several TLS records; the server refuses the unknown token.
    graph("long-token", token="eyJ" + "A" * 6000, verdict="NO-GO", findings=["GRAPH-AUTH-FAILED"],
          no_findings=["GRAPH-UNREACHABLE", "GRAPH-THROTTLED"], extra=auth_extra),
    graph("http-endpoint", graph_ini="endpoint = http://graph.microsoft.com\ntoken_file = \\preflight\\graph-token.txt\n",
          verdict="NO-GO", findings=["REC-NOT-FOUND"], no_findings=GRAPH_CODES + ["REC-NONE-AVAILABLE"],
          fields={"record.match": "not-found"}, extra=http_extra),
    graph("token-missing", graph_ini="token_file = \\preflight\\missing-token.txt\n", verdict="NO-GO",
          findings=["GRAPH-AUTH-FAILED", "REC-NONE-AVAILABLE"], extra=missing_extra),
    graph("signin-found", token=None, graph_ini=signin_ini("pf-client"),
          fields={"record.match": "found", "record.source": "graph-online", "record.file": SOURCE},
          no_findings=GRAPH_CODES + REC_ERRORS, extra=signin_found_extra),
    graph("signin-declined", token=None, graph_ini=signin_ini("declined-client"), verdict="NO-GO",
          findings=["GRAPH-AUTH-FAILED", "REC-NONE-AVAILABLE"], no_findings=["GRAPH-UNREACHABLE", "GRAPH-THROTTLED"],
          extra=signin_refused_extra("authorization_declined")),
    graph("signin-expired", token=None, graph_ini=signin_ini("expired-client"), verdict="NO-GO",
          findings=["GRAPH-AUTH-FAILED", "REC-NONE-AVAILABLE"], no_findings=["GRAPH-UNREACHABLE", "GRAPH-THROTTLED"],
          extra=signin_refused_extra("expired_token")),
    graph("signin-unreachable", token=None, graph_ini=signin_ini("pf-client"), net=["nxdomain:login.microsoftonline.com"],
          verdict="NO-GO", findings=["GRAPH-UNREACHABLE", "REC-NONE-AVAILABLE"], no_findings=["GRAPH-AUTH-FAILED"],
          extra=signin_unreachable_extra),
]
