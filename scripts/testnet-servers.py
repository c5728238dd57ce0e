#!/usr/bin/env python3
"""Servers and probes of Preflight's hermetic test network (see docs/testnet.md).

Started by scripts/testnet inside the test network namespace; standard library only.

  testnet-servers.py serve DIR
      HTTP on 80, HTTPS on 443 (certificate chosen by SNI, else by the local
      address the connection arrived on), NTP on UDP 123. Reads DIR/servers.conf
      and the certificates in DIR/certs/; logs one line per request to stdout.
      Host graph.microsoft.com also answers the Autopilot device lookup
      (GET /v1.0/deviceManagement/windowsAutopilotDeviceIdentities?$filter=...)
      by bearer token: good-token (two pages, the device on the second),
      bad-token and any other (401), throttle-token (429 Retry-After: 1 once,
      then as good-token), throttle-always (429 every time). Tokens are never logged.
      Host login.microsoftonline.com answers device-code sign-in
      (POST /{tenant}/oauth2/v2.0/devicecode and /token): user code PFTEST123,
      interval 1; the token endpoint says authorization_pending twice, then
      gives access token good-token; client_id declined-client gets
      authorization_declined, expired-client expired_token, invalid-client
      invalid_client at the devicecode endpoint. Device codes (PFDEVCODE-...)
      and tokens are never logged.
  testnet-servers.py probe ready DIR [--timeout S]
      waits until DNS, HTTP, HTTPS and NTP all answer on the gateway address.
  testnet-servers.py probe ntp ADDR [--timeout S]
      one NTP query; prints JSON {"server_time", "local_time", "offset", "rtt"}.
  testnet-servers.py probe dhcp TAP [--timeout S] [--mac MAC]
      attaches to the (otherwise unused) tap like QEMU would and runs
      DISCOVER/OFFER/REQUEST/ACK; prints JSON with the lease. Exit 1 on no answer.
  testnet-servers.py probe dot1x TAP [--timeout S] [--mac MAC]
  testnet-servers.py probe ra TAP [--timeout S] [--mac MAC]
      sends a Router Solicitation through the tap and prints the Router Advertisement's M and O flags, router
      lifetime, prefixes and RDNSS servers as JSON
      attaches to the tap the same way and sends an EAPOL-Start (resent every second);
      prints JSON of the first EAPOL frame from another MAC ({"frame": "eap-request-identity",
      "from", "to", "eap_id", ...}) or {"frame": null}. Exit 1 on no answer.
  testnet-servers.py probe dns ADDR NAME [--timeout S]
      one A query over UDP; prints JSON {"rcode", "answers", "authority_types"}.
"""

import email.utils
import fcntl
import json
import os
import re
import random
import select
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import zlib

NTP_EPOCH_DELTA = 2208988800  # seconds from 1900-01-01 to 1970-01-01
MAX_REQUEST = 64 * 1024

NCSI_BODY = b"Microsoft Connect Test"
PORTAL_BODY = (b"<!DOCTYPE html>\n<html><head><title>Guest Wi-Fi - Sign in</title></head>\n"
               b"<body><h1>Welcome to Contoso Guest Wi-Fi</h1>\n"
               b"<form method=\"post\" action=\"/login\">\n"
               b"<input name=\"user\"> <input name=\"password\" type=\"password\">\n"
               b"<button type=\"submit\">Sign in</button></form></body></html>\n")


# ---------------------------------------------------------------------------
# configuration

class Config:
    def __init__(self, path):
        self.addr = "192.168.77.1"
        self.hosts = {}          # name -> address
        self.http500 = set()     # host names, or "*"
        self.captive = False
        self.offset = 0.0        # seconds added to the clock (NTP, HTTP Date)
        self.slow = 0.0          # seconds before each HTTP/HTTPS/NTP answer
        self.certs = ""
        self.pac = None          # the PAC file served at /wpad.dat and /proxy.pac (any host)
        self.bad_proxy = None    # (address, mode): a "proxy" on port 3128 that answers what no proxy should
        self.ipv6 = None         # with an IPv6 fault: HTTP, HTTPS and NTP also listen on this address
        self.ipv6_iface = None   # the tap, where DHCPv6's multicast group is joined
        with open(path, encoding="ascii") as f:
            for line in f:
                words = line.split()
                if not words or words[0].startswith("#"):
                    continue
                key, args = words[0], words[1:]
                if key == "addr":
                    self.addr = args[0]
                elif key == "certs":
                    self.certs = args[0]
                elif key == "host":
                    self.hosts[args[0].lower()] = args[1]
                elif key == "http-500":
                    self.http500.add(args[0].lower())
                elif key == "captive-portal":
                    self.captive = True
                elif key == "clock-offset":
                    self.offset = float(args[0])
                elif key == "slow-ms":
                    self.slow = int(args[0]) / 1000.0
                elif key == "bad-proxy":
                    self.bad_proxy = (args[0], args[1])
                elif key == "ipv6":
                    self.ipv6, self.ipv6_iface = args[0], args[1]
                elif key == "dhcp6-group":  # IPv6 on the tap, the servers IPv4-only (behind the NAT64)
                    self.ipv6_iface = args[0]
                elif key == "pac":
                    with open(args[0], "rb") as pf:
                        self.pac = pf.read()
                else:
                    raise SystemExit("servers.conf: unknown key %r" % key)

    def host_by_addr(self, addr):
        """The host name whose dedicated address this is, or None (shared address)."""
        if addr == self.addr:
            return None
        for name, a in self.hosts.items():
            if a == addr:
                return name
        return None


def now():
    return time.time()


class Log:
    lock = threading.Lock()

    @classmethod
    def line(cls, *words):
        text = "%s %s\n" % (time.strftime("%H:%M:%S"), " ".join(str(w) for w in words))
        with cls.lock:
            sys.stdout.write(text)
            sys.stdout.flush()


# ---------------------------------------------------------------------------
# HTTP (plain and over TLS): a deliberately small, closing HTTP/1.1 responder

def read_request(sock, head_only=lambda headers: False):
    """(method, target, headers, body); body is None when head_only(headers) says to leave it unread."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_REQUEST:
            break
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    parts = lines[0].split() if lines and lines[0] else []
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    method = parts[0] if len(parts) > 0 else ""
    target = parts[1] if len(parts) > 1 else ""
    if head_only(headers):
        return method, target, headers, None
    body = data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""
    try:
        want = min(int(headers.get("content-length", "0")), MAX_REQUEST)
    except ValueError:
        want = 0
    while len(body) < want:
        chunk = sock.recv(4096)
        if not chunk:
            break
        body += chunk
    return method, target, headers, body[:want]


# ---------------------------------------------------------------------------
# a fake Microsoft Graph: the Autopilot device lookup, answered by bearer token

GRAPH_HOST = "graph.microsoft.com"
GRAPH_PATH = "/v1.0/devicemanagement/windowsautopilotdeviceidentities"
GRAPH_MANUFACTURER = "Contoso"
GRAPH_MODEL = "Contoso Book 14"
graph_seen = {}                 # token -> requests answered so far
graph_lock = threading.Lock()


def graph_error(status, code, message, extra=None):
    body = json.dumps({"error": {"code": code, "message": message,
                                 "innerError": {"date": time.strftime("%Y-%m-%dT%H:%M:%S"),
                                                "request-id": "00000000-0000-0000-0000-000000000000"}}})
    return status, "application/json", body.encode(), extra or {}


# The user the device record names, by a word in the serial, and the users the fake tenant has
# (docs/user-checks.md): accountEnabled, and licenseDetails as a list, or an HTTP status for it.
USER_BY_SERIAL = (("USER-DISABLED", "disabled@contoso.example"), ("USER-NOLIC", "nolicense@contoso.example"),
                  ("USER-MISSING", "missing@contoso.example"), ("USER-FORBID", "forbidden@contoso.example"))
E3 = {"skuId": "05e9a617-0261-4cee-bb44-138d3ef5d965", "skuPartNumber": "SPE_E3", "servicePlans": [
    {"servicePlanId": "efb87545-963c-4e0d-99df-69c6916d9eb0", "servicePlanName": "EXCHANGE_S_ENTERPRISE",
     "provisioningStatus": "Success", "appliesTo": "User"},
    {"servicePlanId": "c1ec4a95-1f05-45b3-a911-aa3fa01094f5", "servicePlanName": "INTUNE_A",
     "provisioningStatus": "Success", "appliesTo": "User"}]}
BASIC = {"skuId": "3b555118-da6a-4418-894f-7df1e2096870", "skuPartNumber": "O365_BUSINESS_ESSENTIALS", "servicePlans": [
    {"servicePlanId": "882e1d05-acd1-4ccb-8708-6ee03664b117", "servicePlanName": "INTUNE_O365",
     "provisioningStatus": "PendingActivation", "appliesTo": "User"}]}
GRAPH_USERS = {
    "user@contoso.example": (True, [E3]),
    "disabled@contoso.example": (False, [E3]),
    "nolicense@contoso.example": (True, [BASIC]),
    "forbidden@contoso.example": (True, 403),
}
USERS_PATH = re.compile(r"/v1\.0/users/([^/?]+)(/licenseDetails|/ownedDevices|/transitiveMemberOf|/managedDevices)?", re.I)
POLICY_PATH = "/v1.0/policies/deviceregistrationpolicy"  # compared lower-case
# The tenant's device registration policy by token (all other answers as for good-token): the quota
# and who may join (the users and groups of a Selected policy).
# user@contoso.example is in ALLOWED_GROUP and OTHER_GROUP, never in FOREIGN_GROUP.
ALLOWED_GROUP, OTHER_GROUP = "0a11e7ed-0000-4000-8000-000000000001", "0a11e7ed-0000-4000-8000-000000000002"
FOREIGN_GROUP = "0a11e7ed-0000-4000-8000-000000000003"
POLICIES = {
    "good-token": (50, "all", [], []),
    "throttle-token": (50, "all", [], []),
    "join-none-token": (50, "none", [], []),
    "join-group-token": (50, "enumerated", [], [ALLOWED_GROUP]),
    "join-group-out-token": (50, "enumerated", ["3c8ef067-8b96-44de-b2ae-557dfa0f97a0"], [FOREIGN_GROUP]),
    "quota-token": (2, "all", [], []),
    "policy-forbidden-token": None,
    "limit-token": (50, "all", [], []),
    "esp-user-token": (50, "all", [], []),
    "configs-forbidden-token": (50, "all", [], []),
    "slow-token": (50, "all", [], []),
}
MEMBERSHIP = "#microsoft.graph.%sDeviceRegistrationMembership"  # all, no, enumerated


def graph_policy(token):
    """GET /v1.0/policies/deviceRegistrationPolicy as Graph's v1.0 reference shows it."""
    if POLICIES[token] is None:
        return graph_error("403 Forbidden", "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
    quota, kind, users, groups = POLICIES[token]
    allowed = {"@odata.type": MEMBERSHIP % {"all": "all", "none": "no"}.get(kind, kind)}
    if kind == "enumerated":
        allowed.update(users=users, groups=groups)
    doc = {"@odata.context": "https://%s/v1.0/$metadata#deviceRegistrationPolicy" % GRAPH_HOST,
           "id": "deviceRegistrationPolicy", "displayName": "Device Registration Policy", "userDeviceQuota": quota,
           "multiFactorAuthConfiguration": "notRequired",
           "azureADRegistration": {"isAdminConfigurable": False,
                                   "allowedToRegister": {"@odata.type": MEMBERSHIP % "all"}},
           "azureADJoin": {"isAdminConfigurable": True, "allowedToJoin": allowed,
                           "localAdmins": {"enableGlobalAdmins": True, "registeringUsers": {
                               "@odata.type": MEMBERSHIP % "no"}}},
           "localAdminPassword": {"isEnabled": False}}
    return "200 OK", "application/json", json.dumps(doc).encode(), {}


def owned_devices(n_cloud):
    """n_cloud Entra joined/registered devices, and one hybrid-joined (ServerAd) that the quota does not count."""
    trust = ["AzureAd", "Workplace"]
    devs = [{"@odata.type": "#microsoft.graph.device", "id": "dev-%d" % i, "trustType": trust[i % 2]}
            for i in range(n_cloud)]
    devs.append({"@odata.type": "#microsoft.graph.device", "id": "dev-hybrid", "trustType": "ServerAd"})
    return devs


def graph_user(path, target, token):
    """GET /v1.0/users/{upn}[?$select=...] and /licenseDetails, shaped as Graph's reference shows them."""
    m = USERS_PATH.fullmatch(path)
    upn = urllib.parse.unquote(m.group(1)).lower()
    if upn not in GRAPH_USERS:
        return graph_error("404 Not Found", "Request_ResourceNotFound",
                           "Resource '%s' does not exist or one of its queried reference-property objects are not "
                           "present." % upn)
    enabled, licences = GRAPH_USERS[upn]
    ctx = "https://%s/v1.0/$metadata#" % GRAPH_HOST
    if m.group(2) and m.group(2).lower() == "/owneddevices":  # two of them in Entra ID: at quota-token's limit
        doc = {"@odata.context": ctx + "directoryObjects", "value": owned_devices(2)}
        return "200 OK", "application/json", json.dumps(doc).encode(), {}
    if m.group(2) and m.group(2).lower() == "/manageddevices":
        n = ENROL.get(token, ENROL_DEFAULT)[1]
        doc = {"@odata.context": ctx + "users('%s')/managedDevices(id)" % upn,
               "value": [{"id": "md-%d" % i} for i in range(n)]}
        return "200 OK", "application/json", json.dumps(doc).encode(), {}
    if m.group(2) and m.group(2).lower() == "/transitivememberof":
        doc = {"@odata.context": ctx + "directoryObjects(id)",
               "value": [{"@odata.type": "#microsoft.graph.group", "id": g} for g in (OTHER_GROUP, ALLOWED_GROUP)]
               if upn == "user@contoso.example" else []}
        return "200 OK", "application/json", json.dumps(doc).encode(), {}
    if m.group(2):
        if licences == 403:
            return graph_error("403 Forbidden", "Authorization_RequestDenied",
                               "Insufficient privileges to complete the operation.")
        doc = {"@odata.context": ctx + "users('%s')/licenseDetails" % upn,
               "value": [dict(lic, id="lic-%d" % i) for i, lic in enumerate(licences)]}
        return "200 OK", "application/json", json.dumps(doc).encode(), {}
    select = urllib.parse.parse_qs(urllib.parse.urlsplit(target).query).get("$select", [""])[0].split(",")
    doc = {"@odata.context": ctx + "users/$entity", "id": "11111111-2222-3333-4444-%012d" % len(upn),
           "userPrincipalName": upn, "displayName": upn.split("@")[0]}
    if "accountEnabled" in select:  # only when selected, as Graph does
        doc["accountEnabled"] = enabled
    return "200 OK", "application/json", json.dumps(doc).encode(), {}


def graph_device(serial, n):
    upn = next((u for word, u in USER_BY_SERIAL if word in serial.upper()), "user@contoso.example")
    dev_id = "%08x-0000-4000-8000-%012d" % (zlib.crc32(serial.encode()), n)
    with graph_lock:
        AP_SERIALS[dev_id] = serial
    return {"@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity",
            "id": dev_id, "serialNumber": serial,
            "manufacturer": GRAPH_MANUFACTURER, "model": GRAPH_MODEL, "groupTag": "preflight-test",
            "enrollmentState": "notContacted", "productKey": "", "purchaseOrderIdentifier": "",
            "userPrincipalName": upn, "addressableUserName": "Test User",
            "lastContactedDateTime": "0001-01-01T00:00:00Z"}


def graph_page(target):
    """The device whose serial the filter names: page 1 holds a near miss and a nextLink, page 2 the device."""
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(target).query, keep_blank_values=True)
    m = re.fullmatch(r"contains\(serialNumber,'((?:[^']|'')*)'\)", query.get("$filter", [""])[0])
    if not m:
        return graph_error("400 Bad Request", "BadRequest", "Invalid filter clause")
    serial = m.group(1).replace("''", "'")
    base = "https://%s/v1.0/deviceManagement/windowsAutopilotDeviceIdentities" % GRAPH_HOST
    doc = {"@odata.context": "https://%s/v1.0/$metadata#deviceManagement/windowsAutopilotDeviceIdentities" % GRAPH_HOST}
    if query.get("$skiptoken", [""])[0] == "p2":
        doc["value"] = [graph_device(serial, 2)]
    else:
        doc["value"] = [graph_device(serial + "-OLD", 1)]
        doc["@odata.nextLink"] = base + "?" + urllib.parse.urlencode(
            {"$filter": query["$filter"][0], "$skiptoken": "p2"}, quote_via=urllib.parse.quote, safe="$(),'")
    return "200 OK", "application/json", json.dumps(doc).encode(), {}


# The Intune side (docs/user-checks.md), answered as Graph's beta reference shows it. The Autopilot
# device by its id (the serial it was served for): userlessEnrollmentStatus blocked when the serial
# says USERLESS-BLOCKED; its profile allows pre-provisioning with PREPROV, is self-deploying with
# SELFDEPLOY. Every device is in AP_DEVICE_GROUP. The enrolment configurations by token (ENROL).
AP_SERIALS = {}                 # Autopilot device id -> serial
AP_PATH = re.compile(r"/beta/deviceManagement/windowsAutopilotDeviceIdentities/([0-9a-f-]+)(/deploymentProfile)?", re.I)
CONFIGS_PATH = "/beta/devicemanagement/deviceenrollmentconfigurations"  # compared lower-case
DEVICE_GROUPS_PATH = re.compile(r"/v1\.0/devices\(deviceId='([0-9a-f-]+)'\)/transitiveMemberOf", re.I)
AP_DEVICE_GROUP = "0a11e7ed-0000-4000-8000-000000000010"
TENANT = "8b5e8a3c-0000-4000-8000-00000000c0de"


def target_of(kind, group=None):
    t = {"@odata.type": "#microsoft.graph.%sAssignmentTarget" % kind}
    if group:
        t["groupId"] = group
    return {"@odata.type": "#microsoft.graph.enrollmentConfigurationAssignment", "id": "a-%s" % (group or kind),
            "target": t}


def esp_config(name, prio, timeout, apps, targets, default=False):
    kind = "windows10EnrollmentCompletionPageConfiguration"
    return {"@odata.type": "#microsoft.graph." + kind,
            "id": TENANT + ("_Default" + kind[0].upper() + kind[1:] if default else "_esp-%d" % prio),
            "displayName": name, "priority": prio, "version": 1,
            "deviceEnrollmentConfigurationType": ("default" + kind[0].upper() + kind[1:]) if default else kind,
            "showInstallationProgress": True, "blockDeviceSetupRetryByUser": False,
            "allowDeviceResetOnInstallFailure": False, "allowLogCollectionOnInstallFailure": True,
            "installProgressTimeoutInMinutes": timeout, "allowDeviceUseOnInstallFailure": False,
            "selectedMobileAppIds": ["app-%d" % i for i in range(apps)], "allowNonBlockingAppInstallation": False,
            "trackInstallProgressForAutopilotOnly": True, "assignments": targets}


def limit_config(name, prio, limit, targets, default=False):
    return {"@odata.type": "#microsoft.graph.deviceEnrollmentLimitConfiguration",
            "id": TENANT + ("_DefaultLimit" if default else "_limit-%d" % prio), "displayName": name,
            "priority": prio, "version": 1, "limit": limit,
            "deviceEnrollmentConfigurationType": "defaultLimit" if default else "limit", "assignments": targets}


BASE_CONFIGS = [
    esp_config("All users and all devices", 0, 60, 0, [target_of("allDevices")], default=True),
    # Priority 1 names a group neither the user nor the device is in: the device's group (2) applies.
    esp_config("Sales ESP", 1, 45, 1, [target_of("group", FOREIGN_GROUP)]),
    esp_config("Autopilot devices ESP", 2, 90, 3, [target_of("group", AP_DEVICE_GROUP)]),
    limit_config("All users", 0, 15, [target_of("allLicensedUsers")], default=True),
    limit_config("Contoso limit", 1, 5, [target_of("allLicensedUsers")]),
    {"@odata.type": "#microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration", "id": TENANT + "_platform",
     "displayName": "Platforms", "priority": 0, "assignments": []},
]
# token -> the configurations (None: 403), the user's Intune devices, the seconds each user-check answer waits
ENROL = {
    "limit-token": ([c if c["displayName"] != "Contoso limit" else dict(c, limit=2) for c in BASE_CONFIGS], 2, 0),
    # A user-targeted ESP of higher priority, through a group the user is in (and an exclusion the user is not in).
    "esp-user-token": ([esp_config("Pilot users ESP", 1, 120, 5, [
        target_of("exclusionGroup", FOREIGN_GROUP), target_of("group", OTHER_GROUP)])] +
        [dict(c, priority=c["priority"] + 1) if c["priority"] else c for c in BASE_CONFIGS], 2, 0),
    "configs-forbidden-token": (None, 2, 0),
    "slow-token": (BASE_CONFIGS, 2, 0.8),
}
ENROL_DEFAULT = (BASE_CONFIGS, 2, 0)


def ok_json(doc):
    return "200 OK", "application/json", json.dumps(doc).encode(), {}


def graph_intune(token, path):
    """The Autopilot device (beta) and its profile, the enrolment configurations, a device's groups."""
    configs, _, _ = ENROL.get(token, ENROL_DEFAULT)
    ctx = "https://%s/beta/$metadata#" % GRAPH_HOST
    m = AP_PATH.fullmatch(path)
    if m:
        serial = AP_SERIALS.get(m.group(1).lower())
        if serial is None:
            return graph_error("404 Not Found", "ResourceNotFound", "Resource not found")
        word = serial.upper()
        if m.group(2):
            kind = "azureADWindowsAutopilotDeploymentProfile"
            return ok_json({"@odata.context": ctx + "deviceManagement/windowsAutopilotDeviceIdentities('%s')/"
                            "deploymentProfile/$entity" % m.group(1), "@odata.type": "#microsoft.graph." + kind,
                            "id": "prof-1", "displayName": "Contoso Autopilot", "language": "os-default",
                            "extractHardwareHash": False, "deviceNameTemplate": "CB-%RAND:5%", "deviceType": "windowsPc",
                            "enableWhiteGlove": "PREPROV" in word, "preprovisioningAllowed": "PREPROV" in word,
                            "outOfBoxExperienceSetting": {
                                "privacySettingsHidden": True, "eulaHidden": True, "userType": "standard",
                                "deviceUsageType": "shared" if "SELFDEPLOY" in word else "singleUser",
                                "keyboardSelectionPageSkipped": True, "escapeLinkHidden": True}})
        return ok_json({"@odata.context": ctx + "deviceManagement/windowsAutopilotDeviceIdentities/$entity",
                        "@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity", "id": m.group(1),
                        "deploymentProfileAssignmentStatus": "assignedInSync", "serialNumber": serial,
                        "azureAdDeviceId": "aad" + m.group(1)[3:],
                        "userlessEnrollmentStatus": "blocked" if "USERLESS-BLOCKED" in word else "unknown"})
    if path.lower() == CONFIGS_PATH:
        if configs is None:
            return graph_error("403 Forbidden", "Forbidden", "Application is not authorized to perform this operation.")
        return ok_json({"@odata.context": ctx + "deviceManagement/deviceEnrollmentConfigurations(assignments())",
                        "value": configs})
    if DEVICE_GROUPS_PATH.fullmatch(path):
        return ok_json({"@odata.context": "https://%s/v1.0/$metadata#directoryObjects(id)" % GRAPH_HOST,
                        "value": [{"@odata.type": "#microsoft.graph.group", "id": AP_DEVICE_GROUP}]})
    return graph_error("404 Not Found", "ResourceNotFound", "Resource not found")


def is_intune_path(path):
    return bool(AP_PATH.fullmatch(path) or DEVICE_GROUPS_PATH.fullmatch(path) or path.lower() == CONFIGS_PATH)


def graph_answer(target, headers, path=None):
    auth = headers.get("authorization", "")
    token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
    with graph_lock:
        n = graph_seen.get(token, 0)
        graph_seen[token] = n + 1
    if token == "throttle-always" or (token == "throttle-token" and n == 0):
        return graph_error("429 Too Many Requests", "TooManyRequests", "Too many requests; retry later.",
                           {"Retry-After": "1"})
    if token in POLICIES:
        if path and ENROL.get(token, ENROL_DEFAULT)[2]:
            time.sleep(ENROL[token][2])   # every user-check answer late: the user phase's own limit
        if path and path.lower() == POLICY_PATH:
            return graph_policy(token)
        if path and is_intune_path(path):
            return graph_intune(token, path)
        return graph_user(path, target, token) if path and USERS_PATH.fullmatch(path) else graph_page(target)
    return graph_error("401 Unauthorized", "InvalidAuthenticationToken", "Access token validation failure.",
                       {"WWW-Authenticate": 'Bearer realm="", error="invalid_token"'})


# ---------------------------------------------------------------------------
# a fake Microsoft identity platform: device-code sign-in (RFC 8628), the device code never logged

LOGIN_HOST = "login.microsoftonline.com"
LOGIN_PATH = re.compile(r"/([A-Za-z0-9._-]+)/oauth2/v2\.0/(devicecode|token)")
LOGIN_SCOPE = "https://graph.microsoft.com/DeviceManagementServiceConfig.Read.All"
# The user checks' permissions (docs/user-checks.md): a sign-in that does not ask for them is refused.
LOGIN_SCOPES = [LOGIN_SCOPE] + ["https://graph.microsoft.com/" + p for p in (
    "User.Read.All", "LicenseAssignment.Read.All", "Policy.Read.DeviceConfiguration", "GroupMember.Read.All",
    "Device.Read.All", "DeviceManagementManagedDevices.Read.All")]
LOGIN_USER_CODE = "PFTEST123"
LOGIN_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
LOGIN_PENDING = 2                   # authorization_pending answers before the token
LOGIN_TOKEN = "good-token"          # what the fake Graph accepts
login_codes = {}                    # device code -> {"client": id, "polls": n}
login_lock = threading.Lock()
LOGIN_ERRORS = {
    "authorization_pending": (70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling."),
    "authorization_declined": (70000, "The user declined the sign-in request."),
    "expired_token": (70020, "The provided value for the input parameter 'device_code' is not valid. This device code has expired."),
    "bad_verification_code": (70019, "Verification code expired or unknown."),
    "invalid_client": (700016, "Application with identifier was not found in the directory."),
    "invalid_request": (900144, "The request body must contain the following parameter."),
    "invalid_scope": (70011, "The provided value for the input parameter 'scope' is not valid."),
    "unsupported_grant_type": (70003, "The app requested an unsupported grant type."),
}


def login_error(error, status="400 Bad Request"):
    code, text = LOGIN_ERRORS[error]
    body = {"error": error,
            "error_description": "AADSTS%d: %s\r\nTrace ID: 00000000-0000-0000-0000-000000000000\r\n"
                                 "Correlation ID: 00000000-0000-0000-0000-000000000000\r\nTimestamp: %s" %
                                 (code, text, time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime())),
            "error_codes": [code], "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
            "trace_id": "00000000-0000-0000-0000-000000000000",
            "correlation_id": "00000000-0000-0000-0000-000000000000",
            "error_uri": "https://login.microsoftonline.com/error?code=%d" % code}
    return status, "application/json; charset=utf-8", json.dumps(body).encode(), {}


def login_answer(method, path, headers, body):
    m = LOGIN_PATH.fullmatch(path)
    if not m or method != "POST" or not headers.get("content-type", "").lower().startswith(
            "application/x-www-form-urlencoded"):
        return login_error("invalid_request")
    form = urllib.parse.parse_qs(body.decode("latin-1"), keep_blank_values=True)
    field = lambda k: form.get(k, [""])[0]
    client = field("client_id")
    if m.group(2) == "devicecode":
        if not client or not set(LOGIN_SCOPES) <= set(field("scope").split()):
            return login_error("invalid_scope" if client else "invalid_request")
        if client == "invalid-client":
            return login_error("invalid_client", "401 Unauthorized")
        code = "PFDEVCODE-" + "".join(random.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(40))
        with login_lock:
            login_codes[code] = {"client": client, "polls": 0}
        doc = {"user_code": LOGIN_USER_CODE, "device_code": code,
               "verification_uri": "https://microsoft.com/devicelogin", "expires_in": 900, "interval": 1,
               "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin "
                          "and enter the code %s to authenticate." % LOGIN_USER_CODE}
        return "200 OK", "application/json; charset=utf-8", json.dumps(doc).encode(), {}
    if field("grant_type") != LOGIN_GRANT:
        return login_error("unsupported_grant_type")
    with login_lock:
        entry = login_codes.get(field("device_code"))
        if entry:
            entry["polls"] += 1
    if not entry or entry["client"] != client:
        return login_error("bad_verification_code")
    if client == "declined-client":
        return login_error("authorization_declined")
    if client == "expired-client":
        return login_error("expired_token")
    if entry["polls"] <= LOGIN_PENDING:
        return login_error("authorization_pending")
    doc = {"token_type": "Bearer", "scope": LOGIN_SCOPE + " openid profile", "expires_in": 3599,
           "ext_expires_in": 3599, "access_token": LOGIN_TOKEN}
    return "200 OK", "application/json; charset=utf-8", json.dumps(doc).encode(), {}


# A Blob Storage account that is busy once per blob (503 ServerBusy with Retry-After, as Azure Storage
# answers when it throttles), then takes it (201). Preflight's upload must retry once, after the wait.
FLAKY_BLOB_HOST = "flaky.blob.core.windows.net"
flaky_seen = set()


def flaky_blob(path, headers, body_in):
    with graph_lock:
        first = path not in flaky_seen
        flaky_seen.add(path)
    if headers.get("x-ms-blob-type") != "BlockBlob" or not headers.get("x-ms-version"):
        return ("400 Bad Request", "application/xml", b"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>"
                b"MissingRequiredHeader</Code><Message>x-ms-blob-type</Message></Error>", {})
    if first:
        return ("503 Server Busy", "application/xml", b"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>"
                b"ServerBusy</Code><Message>The server is currently unable to receive requests.</Message></Error>",
                {"Retry-After": "1", "x-ms-error-code": "ServerBusy"})
    Log.line("blob", FLAKY_BLOB_HOST, "stored", path, len(body_in), "bytes sha256",
             __import__("hashlib").sha256(body_in).hexdigest())
    return "201 Created", "text/plain", b"", {"x-ms-request-server-encrypted": "true"}


# A Blob Storage account that judges the SAS from the request head and answers at once, 403
# AuthenticationFailed as Azure Storage says for an expired SAS, then closes with the body unread:
# the kernel resets the connection while the client is still sending (issue 21). Preflight must read
# and name that answer.
EARLY_BLOB_HOST = "early.blob.core.windows.net"
EARLY_ACK_S = 2.0                   # at most this long for the client to acknowledge the answer
SIOCOUTQ = 0x5411                   # bytes in the send queue not yet acknowledged (linux/sockios.h, = TIOCOUTQ)


def early_host(headers):
    return headers.get("host", "").split(":")[0].lower() == EARLY_BLOB_HOST


def early_blob(sock, scheme, local_addr, target):
    body = (b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code>"
            b"<Message>Server failed to authenticate the request. Make sure the value of Authorization header is "
            b"formed correctly including the signature.</Message><AuthenticationErrorDetail>Signature not valid "
            b"in the specified time frame</AuthenticationErrorDetail></Error>")
    head = ("HTTP/1.1 403 Server failed to authenticate the request.\r\n"
            "Content-Length: %d\r\nContent-Type: application/xml\r\nServer: preflight-testnet\r\n"
            "x-ms-error-code: AuthenticationFailed\r\nDate: %s\r\nConnection: close\r\n\r\n") % (
        len(body), email.utils.formatdate(now(), usegmt=True))
    try:
        sock.sendall(head.encode("ascii") + body)
        # Closing with unread bytes resets the connection and drops what is still queued: the close
        # waits until the client has acknowledged the answer, then resets it (as a web server does
        # that closes at once; sent before the reset, the answer is on the wire).
        deadline = time.monotonic() + EARLY_ACK_S
        while time.monotonic() < deadline and struct.unpack("i", fcntl.ioctl(sock.fileno(), SIOCOUTQ, b"\0" * 4))[0]:
            time.sleep(0.005)
    except (OSError, ssl.SSLError) as e:
        Log.line(scheme, local_addr, "write failed:", e)
        return
    Log.line(scheme, local_addr, "host=%s" % EARLY_BLOB_HOST, "PUT", re.sub(r"(?i)(sig=)[^&]*", r"\1***", target),
             "403 after the head, body unread")


def answer_http(cfg, sock, scheme, local_addr, sni):
    try:
        method, target, headers, body_in = read_request(sock, early_host)
    except (OSError, ssl.SSLError) as e:
        Log.line(scheme, local_addr, "read failed:", e)
        return
    if not method:
        return
    if body_in is None:
        early_blob(sock, scheme, local_addr, target)
        return
    host = headers.get("host", "").split(":")[0].lower() or sni or cfg.host_by_addr(local_addr) or ""
    path = target
    if "://" in path:                       # absolute-form request target
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    path = path.split("?", 1)[0]
    extra = {}
    if "*" in cfg.http500 or host in cfg.http500:
        status, ctype, body = "500 Internal Server Error", "text/plain", b"Internal Server Error\n"
    elif path.lower() == "/connecttest.txt":
        if cfg.captive:
            status, ctype, body = "200 OK", "text/html; charset=utf-8", PORTAL_BODY
        else:
            status, ctype, body = "200 OK", "text/plain", NCSI_BODY
    elif cfg.pac is not None and path.lower() in ("/wpad.dat", "/proxy.pac"):
        status, ctype, body = "200 OK", "application/x-ns-proxy-autoconfig", cfg.pac
    elif host == GRAPH_HOST and path.lower() == GRAPH_PATH:
        status, ctype, body, extra = graph_answer(target, headers)
    elif host == GRAPH_HOST and (USERS_PATH.fullmatch(path) or path.lower() == POLICY_PATH or is_intune_path(path)):
        status, ctype, body, extra = graph_answer(target, headers, path)
    elif host == LOGIN_HOST and "/oauth2/" in path.lower():
        status, ctype, body, extra = login_answer(method, path, headers, body_in)
    elif host == FLAKY_BLOB_HOST and method == "PUT":
        status, ctype, body, extra = flaky_blob(path, headers, body_in)
    else:
        status, ctype, body = "200 OK", "text/plain", b"ok"
    if cfg.slow:
        time.sleep(cfg.slow)
    head = ("HTTP/1.1 %s\r\n"
            "Date: %s\r\n"
            "Server: preflight-testnet\r\n"
            "Content-Type: %s\r\n"
            "Content-Length: %d\r\n"
            "Cache-Control: no-cache\r\n"
            "%s"
            "Connection: close\r\n\r\n") % (
        status, email.utils.formatdate(now() + cfg.offset, usegmt=True), ctype, len(body),
        "".join("%s: %s\r\n" % kv for kv in extra.items()))
    try:
        sock.sendall(head.encode("ascii") + (b"" if method == "HEAD" else body))
    except (OSError, ssl.SSLError) as e:
        Log.line(scheme, local_addr, "write failed:", e)
        return
    Log.line(scheme, local_addr, "sni=%s" % (sni or "-"), "host=%s" % (host or "-"),
             method, re.sub(r"(?i)(sig=)[^&]*", r"\1***", target), status.split()[0])


def serve_http_conn(cfg, conn):
    local = conn.getsockname()[0]
    try:
        conn.settimeout(10)
        answer_http(cfg, conn, "http", local, None)
    finally:
        conn.close()


class TlsSide:
    """The TLS contexts: one per host name plus the default (all names) one."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.by_name = {}
        certs = cfg.certs
        key = os.path.join(certs, "server.key")
        dh = os.path.join(certs, "dh.pem")
        self.default = self.context(os.path.join(certs, "_default.pem"), key, dh)
        for name in cfg.hosts:
            path = os.path.join(certs, name + ".pem")
            if os.path.exists(path):
                self.by_name[name] = self.context(path, key, dh)

    def context(self, cert, key, dh):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        # The firmware's TLS offers RSA and DHE suites only; ALL keeps ECDHE too.
        ctx.set_ciphers("ALL:@SECLEVEL=0")
        ctx.load_cert_chain(cert, key)
        ctx.load_dh_params(dh)
        ctx.options |= ssl.OP_NO_COMPRESSION
        ctx.sni_callback = self.on_sni
        return ctx

    def for_addr(self, addr):
        name = self.cfg.host_by_addr(addr)
        return self.by_name.get(name, self.default) if name else self.default

    def on_sni(self, sslsock, server_name, _ctx):
        sslsock.pf_sni = server_name
        if server_name:
            ctx = self.by_name.get(server_name.lower())
            if ctx is not None:
                sslsock.context = ctx
        return None


def serve_https_conn(cfg, tls, conn):
    local = conn.getsockname()[0]
    try:
        conn.settimeout(10)
        try:
            s = tls.for_addr(local).wrap_socket(conn, server_side=True)
        except (OSError, ssl.SSLError) as e:
            Log.line("https", local, "handshake failed:", e)
            return
        sni = getattr(s, "pf_sni", None)
        try:
            answer_http(cfg, s, "https/%s/%s" % (s.version(), s.cipher()[0]), local, sni)
        finally:
            try:
                s.close()
            except OSError:
                pass
    finally:
        conn.close()


def tcp_listener(port, addr6=None):
    """IPv4 on every address, or IPv6 on addr6 alone (IPV6_V6ONLY: the two sockets never overlap)."""
    s = socket.socket(socket.AF_INET6 if addr6 else socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if addr6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr6, port) if addr6 else ("0.0.0.0", port))
    s.listen(64)
    return s


def accept_loop(listener, handler):
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handler, args=(conn,), daemon=True).start()


# ---------------------------------------------------------------------------
# NTP

def ntp_ts(t):
    sec = int(t)
    frac = int((t - sec) * (1 << 32)) & 0xFFFFFFFF
    return struct.pack("!II", (sec + NTP_EPOCH_DELTA) & 0xFFFFFFFF, frac)


def ntp_from_ts(b):
    sec, frac = struct.unpack("!II", b)
    return sec - NTP_EPOCH_DELTA + frac / float(1 << 32)


def ntp_reply(cfg, sock, req, peer, t_recv):
    vn = (req[0] >> 3) & 7 or 4
    t_send = now() + cfg.offset
    pkt = struct.pack("!BBbb", (0 << 6) | (vn << 3) | 4, 1, req[2], -20)
    pkt += struct.pack("!II", 0, 1 << 10)            # root delay, root dispersion
    pkt += b"LOCL"                                   # reference id (stratum 1)
    pkt += ntp_ts(t_send - 16) + req[40:48] + ntp_ts(t_recv) + ntp_ts(t_send)
    try:
        sock.sendto(pkt, peer)
    except OSError as e:
        Log.line("ntp", peer[0], "send failed:", e)
        return
    Log.line("ntp", peer[0], "offset=%g" % cfg.offset)


def ntp_loop(cfg, sock):
    while True:
        req, peer = sock.recvfrom(1024)
        t_recv = now() + cfg.offset
        if len(req) < 48 or (req[0] & 7) not in (1, 3):
            continue
        if cfg.slow:
            threading.Timer(cfg.slow, ntp_reply, (cfg, sock, req, peer, t_recv)).start()
        else:
            ntp_reply(cfg, sock, req, peer, t_recv)


BAD_PROXY_ANSWERS = {
    # An HTTP/0.9-style answer: a body without a status line, then the close.
    "http09": b"<html><body>Welcome to the network</body></html>\n",
    # A status line cut off in the middle of the head, then the close.
    "midheader": b"HTTP/1.1 200 Connection estab",
}


def serve_bad_proxy(mode, conn):
    """Reads the request head (CONNECT or GET), answers BAD_PROXY_ANSWERS[mode] and closes."""
    try:
        conn.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        conn.sendall(BAD_PROXY_ANSWERS[mode])
        Log.line("bad-proxy", mode, data.split(b"\r\n", 1)[0].decode("ascii", "replace"))
    except OSError as e:
        Log.line("bad-proxy", mode, "failed:", e)
    finally:
        conn.close()


def serve(dir_):
    cfg = Config(os.path.join(dir_, "servers.conf"))
    if not cfg.certs:
        cfg.certs = os.path.join(dir_, "certs")
    tls = TlsSide(cfg)
    http = tcp_listener(80)
    https = tcp_listener(443)
    ntp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ntp.bind(("0.0.0.0", 123))

    def stop(_sig, _frame):
        Log.line("servers: stopping")
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=accept_loop, args=(http, lambda c: serve_http_conn(cfg, c)), daemon=True).start()
    threading.Thread(target=accept_loop, args=(https, lambda c: serve_https_conn(cfg, tls, c)), daemon=True).start()
    threading.Thread(target=ntp_loop, args=(cfg, ntp), daemon=True).start()
    if cfg.bad_proxy:
        bad = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        bad.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bad.bind((cfg.bad_proxy[0], 3128))
        bad.listen(64)
        mode = cfg.bad_proxy[1]
        threading.Thread(target=accept_loop, args=(bad, lambda c: serve_bad_proxy(mode, c)), daemon=True).start()
    if cfg.ipv6:
        http6, https6 = tcp_listener(80, cfg.ipv6), tcp_listener(443, cfg.ipv6)
        ntp6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        ntp6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        ntp6.bind((cfg.ipv6, 123))
        threading.Thread(target=accept_loop, args=(http6, lambda c: serve_http_conn(cfg, c)), daemon=True).start()
        threading.Thread(target=accept_loop, args=(https6, lambda c: serve_https_conn(cfg, tls, c)), daemon=True).start()
        threading.Thread(target=ntp_loop, args=(cfg, ntp6), daemon=True).start()
        Log.line("servers: also on [%s]:80, 443, 123" % cfg.ipv6)
    if cfg.ipv6_iface:
        # dnsmasq joins ff02::1:2 (DHCPv6 servers) only on interfaces with a link-local address, which the tap gets
        # only once QEMU opens it: join it here, so that the kernel takes the VM's Information-Requests and hands
        # them to dnsmasq's socket on port 547 (IPV6_MULTICAST_ALL is on by default).
        group = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        group.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, "ff02::1:2") +
                         struct.pack("@I", socket.if_nametoindex(cfg.ipv6_iface)))
        Log.line("servers: joined ff02::1:2 on %s" % cfg.ipv6_iface)
    Log.line("servers: up; hosts=%d offset=%g slow=%g captive=%s http500=%s" % (
        len(cfg.hosts), cfg.offset, cfg.slow, cfg.captive, ",".join(sorted(cfg.http500)) or "-"))
    while True:
        time.sleep(3600)


# ---------------------------------------------------------------------------
# probes

def dns_query(addr, name, timeout):
    qid = random.randrange(1 << 16)
    q = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0)
    for label in name.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode("ascii")
    q += b"\0" + struct.pack("!HH", 1, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.connect((addr, 53))      # connected: a closed port fails at once (ICMP)
        s.send(q)
        deadline = now() + timeout
        while True:
            s.settimeout(max(0.01, deadline - now()))
            data = s.recv(4096)
            if len(data) >= 12 and struct.unpack("!H", data[:2])[0] == qid:
                return parse_dns(data)


def skip_name(data, off):
    while True:
        n = data[off]
        if n == 0:
            return off + 1
        if n & 0xC0 == 0xC0:
            return off + 2
        off += 1 + n


def parse_dns(data):
    _, flags, qd, an, ns, _ar = struct.unpack("!HHHHHH", data[:12])
    off = 12
    for _ in range(qd):
        off = skip_name(data, off) + 4
    answers, auth = [], []
    for i in range(an + ns):
        off = skip_name(data, off)
        rtype, _cls, _ttl, rdlen = struct.unpack("!HHIH", data[off:off + 10])
        off += 10
        rdata = data[off:off + rdlen]
        off += rdlen
        if i < an:
            answers.append(socket.inet_ntoa(rdata) if rtype == 1 and rdlen == 4 else "type%d" % rtype)
        else:
            auth.append({6: "SOA", 2: "NS"}.get(rtype, "type%d" % rtype))
    rcode = {0: "NOERROR", 2: "SERVFAIL", 3: "NXDOMAIN", 5: "REFUSED"}.get(flags & 15, str(flags & 15))
    return {"rcode": rcode, "answers": answers, "authority_types": auth}


def ntp_query(addr, timeout):
    with socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        t0 = now()
        req = bytearray(48)
        req[0] = (4 << 3) | 3
        req[40:48] = ntp_ts(t0)
        s.connect((addr, 123))
        s.send(bytes(req))
        deadline = t0 + timeout
        while True:
            s.settimeout(max(0.01, deadline - now()))
            data = s.recv(1024)
            t3 = now()
            if len(data) >= 48 and data[24:32] == bytes(req[40:48]) and (data[0] & 7) == 4:
                break
    t1, t2 = ntp_from_ts(data[32:40]), ntp_from_ts(data[40:48])
    offset = ((t1 - t0) + (t2 - t3)) / 2
    return {"server_time": t2, "local_time": t3, "offset": round(offset, 3),
            "rtt": round(t3 - t0, 3), "stratum": data[1]}


def http_get(addr, port, timeout, tls_ctx=None):
    with socket.create_connection((addr, port), timeout=timeout) as raw:
        s = tls_ctx.wrap_socket(raw) if tls_ctx else raw
        s.sendall(b"GET /connecttest.txt HTTP/1.1\r\nHost: www.msftconnecttest.com\r\nConnection: close\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.split(b"\r\n", 1)[0].decode("latin-1")


def probe_ready(dir_, timeout):
    cfg = Config(os.path.join(dir_, "servers.conf"))
    names = list(cfg.hosts) or ["probe.invalid"]
    per_try = 1.0 + cfg.slow
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = False
    client.verify_mode = ssl.CERT_NONE
    client.set_ciphers("ALL:@SECLEVEL=0")
    checks = {
        "dns": lambda: dns_query(cfg.addr, names[0], per_try),
        "http": lambda: http_get(cfg.addr, 80, per_try),
        "https": lambda: http_get(cfg.addr, 443, per_try, client),
        "ntp": lambda: ntp_query(cfg.addr, per_try),
    }
    deadline = now() + timeout
    pending = dict(checks)
    last = {}
    while pending:
        for name, fn in list(pending.items()):
            try:
                fn()
                del pending[name]
            except (OSError, ssl.SSLError, ValueError) as e:
                last[name] = e
        if not pending:
            break
        if now() >= deadline:
            for name in pending:
                print("testnet: %s did not answer: %s" % (name, last.get(name)), file=sys.stderr)
            return 1
        time.sleep(0.1)
    return 0


# DHCP through the tap, the way the VM sees the network.
TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def ip_checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def dhcp_frame(mac, xid, options):
    bootp = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000,
                        b"\0" * 4, b"\0" * 4, b"\0" * 4, b"\0" * 4, mac + b"\0" * 10, b"", b"")
    bootp += b"\x63\x82\x53\x63" + options + b"\xff"
    bootp += b"\0" * max(0, 300 - len(bootp))
    udp = struct.pack("!HHHH", 68, 67, 8 + len(bootp), 0) + bootp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     b"\0" * 4, b"\xff" * 4)
    ip = ip[:10] + struct.pack("!H", ip_checksum(ip)) + ip[12:]
    return b"\xff" * 6 + mac + b"\x08\x00" + ip + udp


def dhcp_parse(frame, xid):
    if len(frame) < 14 + 20 + 8 + 240 or frame[12:14] != b"\x08\x00":
        return None
    ihl = (frame[14] & 15) * 4
    if frame[14 + 9] != 17:
        return None
    udp = 14 + ihl
    sport, dport = struct.unpack("!HH", frame[udp:udp + 4])
    if (sport, dport) != (67, 68):
        return None
    b = frame[udp + 8:]
    if b[0] != 2 or struct.unpack("!I", b[4:8])[0] != xid or b[236:240] != b"\x63\x82\x53\x63":
        return None
    opts, i = {}, 240
    while i < len(b) and b[i] != 255:
        if b[i] == 0:
            i += 1
            continue
        code, n = b[i], b[i + 1]
        opts[code] = b[i + 2:i + 2 + n]
        i += 2 + n
    return {"yiaddr": socket.inet_ntoa(b[16:20]), "opts": opts}


def probe_dhcp(tap, timeout, mac_text):
    mac = bytes(int(x, 16) for x in mac_text.split(":"))
    fd = os.open("/dev/net/tun", os.O_RDWR)
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", tap.encode(), IFF_TAP | IFF_NO_PI))
        xid = random.randrange(1 << 32)
        deadline = now() + timeout
        prl = b"\x37\x04\x01\x03\x06\x33"       # ask for mask, router, DNS, lease time

        def exchange(options, want):
            os.write(fd, dhcp_frame(mac, xid, options))
            resend = now() + 1.0
            while now() < deadline:
                r, _, _ = select.select([fd], [], [], min(0.2, max(0.0, deadline - now())))
                if r:
                    got = dhcp_parse(os.read(fd, 2048), xid)
                    if got and got["opts"].get(53) == bytes([want]):
                        return got
                elif now() >= resend:           # DHCP clients retransmit; so do we
                    os.write(fd, dhcp_frame(mac, xid, options))
                    resend = now() + 1.0
            return None

        offer = exchange(b"\x35\x01\x01" + prl, 2)
        if not offer:
            print(json.dumps({"offer": None}))
            return 1
        server = offer["opts"].get(54, b"\0\0\0\0")
        ack = exchange(b"\x35\x01\x03\x32\x04" + socket.inet_aton(offer["yiaddr"]) +
                       b"\x36\x04" + server + prl, 5)
        o = (ack or offer)["opts"]

        def addrs(v):
            return [socket.inet_ntoa(v[i:i + 4]) for i in range(0, len(v or b""), 4)]
        print(json.dumps({
            "offer": offer["yiaddr"], "ack": ack["yiaddr"] if ack else None,
            "server": addrs(server)[0] if server else None,
            "router": addrs(o.get(3)), "dns": addrs(o.get(6)),
            "mask": addrs(o.get(1))[0] if o.get(1) else None,
            "lease": struct.unpack("!I", o[51])[0] if 51 in o else None}))
        return 0 if ack else 1
    finally:
        os.close(fd)


def icmp6_checksum(src, dst, payload):
    pseudo = src + dst + struct.pack("!I3xB", len(payload), 58)
    return ip_checksum(pseudo + payload)


def probe_ra(tap, timeout, mac_text):
    """A Router Solicitation through the tap, as the VM sends one; prints the first Router Advertisement's M and
    O flags, router lifetime, prefixes and RDNSS servers (RFC 4861, RFC 8106)."""
    mac = bytes(int(x, 16) for x in mac_text.split(":"))
    fd = os.open("/dev/net/tun", os.O_RDWR)
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", tap.encode(), IFF_TAP | IFF_NO_PI))
        src, dst = bytes(16), socket.inet_pton(socket.AF_INET6, "ff02::2")
        rs = bytearray(struct.pack("!BBHI", 133, 0, 0, 0))   # unspecified source: no link-layer option
        struct.pack_into("!H", rs, 2, icmp6_checksum(src, dst, bytes(rs)))
        frame = (b"\x33\x33\x00\x00\x00\x02" + mac + b"\x86\xdd" +
                 struct.pack("!IHBB", 6 << 28, len(rs), 58, 255) + src + dst + bytes(rs))
        deadline = now() + timeout
        resend = 0.0
        while now() < deadline:
            if now() >= resend:
                os.write(fd, frame)
                resend = now() + 1.0
            r, _, _ = select.select([fd], [], [], min(0.2, max(0.0, deadline - now())))
            if not r:
                continue
            f = os.read(fd, 4096)
            if len(f) < 14 + 40 + 16 or f[12:14] != b"\x86\xdd" or f[20] != 58 or f[54] != 134:
                continue
            icmp = f[54:14 + 40 + struct.unpack("!H", f[18:20])[0]]
            out = {"from": socket.inet_ntop(socket.AF_INET6, f[22:38]), "managed": bool(icmp[5] & 0x80),
                   "other": bool(icmp[5] & 0x40), "lifetime": struct.unpack("!H", icmp[6:8])[0],
                   "prefixes": [], "rdnss": []}
            off = 16
            while off + 2 <= len(icmp) and icmp[off + 1]:
                typ, n = icmp[off], icmp[off + 1] * 8
                opt = icmp[off:off + n]
                if typ == 3 and len(opt) >= 32:
                    out["prefixes"].append("%s/%d" % (socket.inet_ntop(socket.AF_INET6, opt[16:32]), opt[2]))
                elif typ == 25:
                    out["rdnss"] += [socket.inet_ntop(socket.AF_INET6, opt[i:i + 16]) for i in range(8, len(opt) - 15, 16)]
                off += n
            print(json.dumps(out))
            return 0
        print(json.dumps({"ra": None}))
        return 1
    finally:
        os.close(fd)


EAPOL_TYPE = b"\x88\x8e"
PAE_GROUP = bytes.fromhex("0180c2000003")
EAP_NAMES = {1: "eap-request", 3: "eap-success", 4: "eap-failure"}


def probe_dot1x(tap, timeout, mac_text):
    """A supplicant's first step on the tap, as the VM would take it: EAPOL-Start (version 2) to the PAE
    group address, resent every second, until an authenticator answers or the timeout passes."""
    mac = bytes(int(x, 16) for x in mac_text.split(":"))
    start = (PAE_GROUP + mac + EAPOL_TYPE + bytes([2, 1, 0, 0])).ljust(60, b"\0")
    fd = os.open("/dev/net/tun", os.O_RDWR)
    try:
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH22x", tap.encode(), IFF_TAP | IFF_NO_PI))
        t0 = now()
        deadline = t0 + timeout
        os.write(fd, start)
        resend = now() + 1.0
        while now() < deadline:
            r, _, _ = select.select([fd], [], [], min(0.2, max(0.0, deadline - now())))
            if r:
                f = os.read(fd, 2048)
                if f[12:14] != EAPOL_TYPE or f[6:12] == mac or len(f) < 18:
                    continue
                ver, typ = f[14], f[15]
                out = {"from": ":".join(f"{b:02x}" for b in f[6:12]), "to": ":".join(f"{b:02x}" for b in f[0:6]),
                       "version": ver, "type": typ, "ms": round((now() - t0) * 1000)}
                if typ == 0 and len(f) >= 22:
                    code = f[18]
                    out["eap_code"], out["eap_id"] = code, f[19]
                    name = EAP_NAMES.get(code, "eap-other")
                    if code == 1 and len(f) >= 23:
                        out["eap_type"] = f[22]
                        name += "-identity" if f[22] == 1 else "-method"
                    out["frame"] = name
                else:
                    out["frame"] = "eapol-key" if typ in (3, 5) else "eapol-other"
                print(json.dumps(out))
                return 0
            elif now() >= resend:
                os.write(fd, start)
                resend = now() + 1.0
        print(json.dumps({"frame": None}))
        return 1
    finally:
        os.close(fd)


def opt(args, name, default):
    if name in args:
        i = args.index(name)
        value = args[i + 1]
        del args[i:i + 2]
        return value
    return default


def main(argv):
    args = list(argv[1:])
    if len(args) >= 2 and args[0] == "serve":
        serve(args[1])
        return 0
    if len(args) >= 2 and args[0] == "probe":
        timeout = float(opt(args, "--timeout", "3"))
        mac = opt(args, "--mac", "52:54:00:aa:bb:01")
        kind = args[1]
        try:
            if kind == "ready" and len(args) == 3:
                return probe_ready(args[2], timeout)
            if kind == "ntp" and len(args) == 3:
                print(json.dumps(ntp_query(args[2], timeout)))
                return 0
            if kind == "dns" and len(args) == 4:
                print(json.dumps(dns_query(args[2], args[3], timeout)))
                return 0
            if kind == "dhcp" and len(args) == 3:
                return probe_dhcp(args[2], timeout, mac)
            if kind == "dot1x" and len(args) == 3:
                return probe_dot1x(args[2], timeout, mac)
            if kind == "ra" and len(args) == 3:
                return probe_ra(args[2], timeout, mac)
        except (OSError, ValueError) as e:
            print(json.dumps({"error": str(e)}))
            return 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
