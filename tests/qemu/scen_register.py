"""An unregistered device (REC-NOT-FOUND) leaves <serial>-register.csv and a row in the cart's unregistered.csv."""
import csv
import io

from rig import DEFAULT_INI, Scenario

INI = DEFAULT_INI + "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n"
HEADER = ["Device Serial Number", "Windows Product ID", "Hardware Hash", "Manufacturer name", "Device model"]
RECORDS = ",".join(HEADER) + "\nSOMEONE-ELSE-1,,,Contoso,Contoso Book 14\n"
EARLIER = ",".join(HEADER) + "\nCART-DEVICE-1,,,Fabrikam,Tab 2\n"


def rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def check_register(runs):
    last = runs[-1]
    own = last.reports.get("REG-7_1-register.csv")
    if own is None:
        raise AssertionError(f"no REG-7_1-register.csv: {sorted(last.reports)}")
    want = [HEADER, ["REG-7/1", "", "", "Contoso, Ltd.", "Book 14 \"Pro\""]]
    if rows(own) != want:
        raise AssertionError(f"register file {rows(own)}, expected {want}")
    cart = rows(last.reports.get("unregistered.csv", b""))
    if cart != [HEADER, ["CART-DEVICE-1", "", "", "Fabrikam", "Tab 2"], want[1]]:
        raise AssertionError(f"unregistered.csv after two runs: {cart}")
    doc = last.report_json()
    reg = doc["registration"]
    if reg != {"file": "\\preflight\\reports\\REG-7_1-register.csv", "list": "\\preflight\\reports\\unregistered.csv",
               "error": None}:
        raise AssertionError(f"registration {reg}")
    if "Not registered: " not in last.serial or "only Windows can compute the hash" not in last.serial:
        raise AssertionError("the screen does not say the device is not registered and why the hash is empty")


SCENARIOS = [
    Scenario("register-unknown-device", runs=2, ini=INI, verdict="NO-GO", findings=["REC-NOT-FOUND"],
             smbios=["type=1,manufacturer=Contoso,, Ltd.,product=Book 14 \"Pro\",serial=REG-7/1"],
             files={"preflight/records/devices.csv": RECORDS, "preflight/reports/unregistered.csv": EARLIER},
             check=check_register),
]
