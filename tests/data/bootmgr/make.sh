#!/usr/bin/env bash
# Regenerates the stand-in boot managers and expected.txt in this folder (run from anywhere; needs
# openssl, sbsign, osslsigncode, python3). Keys are made in a temporary folder and deleted: nothing
# trusts these certificates. The expected values come from tools independent of common/: pehash.py
# (the Authenticode hash from Microsoft's PE format document), osslsigncode's calculated digest (must
# agree with it) and openssl for certificate names and thumbprints.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

ca() { # ca NAME CN: a self-signed CA (plays a Microsoft root in the tests)
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -subj "/C=US/O=Preflight Test/CN=$2" -days 7300 \
    -set_serial 1 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    -out "$1.pem" 2>/dev/null
  openssl x509 -in "$1.pem" -outform der -out "$here/$1.der"
}
leaf() { # leaf NAME CN CA: a code-signing certificate issued by CA
  openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -subj "/C=US/O=Preflight Test/CN=$2" -out "$1.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=codeSigning\n' > ext.cnf
  openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -set_serial 2 -days 3650 -extfile ext.cnf \
    -out "$1.pem" 2>/dev/null
  openssl x509 -in "$1.pem" -outform der -out "$here/$1.der"
}
ca ca-pca2011 "Preflight Test Windows Production PCA 2011"
ca ca-uefi2023 "Preflight Test Windows UEFI CA 2023"
ca ca-other "Preflight Test Unknown CA"
leaf signer-2011 "Preflight Test Windows (PCA 2011)" ca-pca2011
leaf signer-2023 "Preflight Test Windows (UEFI CA 2023)" ca-uefi2023
leaf signer-other "Preflight Test Unknown Signer" ca-other

pe() { python3 "$here/mkpe.py" "$@"; }
pe unsigned.efi 10.0.19045.5371 --trailing 100
# Boot manager SVNs as Microsoft's carry them: 3.0 before the CVE-2023-24932 servicing, 7.0 after.
pe 2011.in 10.0.22631.4602 --svn 3.0
pe 2023.in 10.0.26100.2454 --trailing 24 --svn 7.0
pe other.in 10.0.26200.1
pe arm64.in 10.0.26100.1 --machine arm64
pe dual.in 10.0.26100.2454 --trailing 8 --svn 7.0
# The 2011 one carries its CA too, as Microsoft's boot manager carries PCA 2011 beside its signer.
sbsign --key signer-2011.key --cert signer-2011.pem --addcert ca-pca2011.pem --output 2011.efi 2011.in 2>/dev/null
sbsign --key signer-2023.key --cert signer-2023.pem --output 2023.efi 2023.in 2>/dev/null
sbsign --key signer-other.key --cert signer-other.pem --output other.efi other.in 2>/dev/null
sbsign --key signer-2023.key --cert signer-2023.pem --output arm64.efi arm64.in 2>/dev/null
# Dual-signed, as the Secure Boot servicing's transition media can be: two WIN_CERTIFICATE entries (sbsign
# appends the second), PCA 2011 first. Nested: one entry whose SignerInfo carries the 2023 signature in
# the unauthenticated attribute 1.3.6.1.4.1.311.2.4.1 (osslsigncode -nest).
sbsign --key signer-2011.key --cert signer-2011.pem --addcert ca-pca2011.pem --output dual1.efi dual.in 2>/dev/null
sbsign --key signer-2023.key --cert signer-2023.pem --output dual.efi dual1.efi 2>/dev/null
[ "$(sbverify --list dual.efi | grep -c '^signature ')" = 2 ] || { echo "make.sh: dual.efi lacks two signatures" >&2; exit 1; }
osslsigncode sign -certs signer-2023.pem -key signer-2023.key -nest -in 2011.efi -out nested.efi >/dev/null
# Tampered: one byte of the .data section changed after signing (the signature no longer matches).
cp 2023.efi tampered.efi
printf 'X' | dd of=tampered.efi bs=1 seek=$((0x400)) conv=notrunc 2>/dev/null
# Truncated: the certificate table cut short.
head -c $(( $(stat -c %s 2023.efi) - 100 )) 2023.efi > truncated.efi
for f in unsigned 2011 2023 other arm64 tampered truncated dual nested; do cp $f.efi "$here/bootmgr-$f.efi"; done

{
  echo "# file pehash signed_digest signer_sha1 signer_sha256 version svn: written by make.sh, do not edit"
  for f in unsigned 2011 2023 other arm64 tampered dual nested; do
    h=$(python3 "$here/pehash.py" $f.efi)
    signed=-
    if [ $f != unsigned ]; then
      # osslsigncode reads one WIN_CERTIFICATE: the dual image's hash is that of its first signing (the
      # table is outside the hash), which it can check.
      g=$f; [ $f = dual ] && g=dual1
      out=$(osslsigncode verify -in $g.efi 2>&1 || true)
      calc=$(printf '%s\n' "$out" | sed -n 's/^Calculated message digest *: *//p' | head -n1 | tr -d ' ' | tr A-F a-f | grep -o '^[0-9a-f]\{64\}' || true)
      signed=$(printf '%s\n' "$out" | sed -n 's/^Current message digest *: *//p' | head -n1 | tr -d ' ' | tr A-F a-f | grep -o '^[0-9a-f]\{64\}' || true)
      [ "$calc" = "$h" ] || { echo "make.sh: $f: pehash.py $h, osslsigncode $calc" >&2; exit 1; }
    fi
    case $f in 2011|dual|nested) s=signer-2011;; 2023|arm64|tampered) s=signer-2023;; other) s=signer-other;; *) s=;; esac
    s1=-; s256=-
    if [ -n "$s" ]; then
      s1=$(openssl x509 -in $s.pem -noout -fingerprint -sha1 | sed 's/.*=//; s/://g' | tr A-F a-f)
      s256=$(openssl x509 -in $s.pem -noout -fingerprint -sha256 | sed 's/.*=//; s/://g' | tr A-F a-f)
    fi
    g=$f; [ $f = tampered ] && g=2023; [ $f = nested ] && g=2011
    v=$(sed -n "s/^pe $g[.a-z]* \([0-9.]*\).*/\1/p" "$here/make.sh")
    svn=$(sed -n "s/^pe $g[.a-z]* .*--svn \([0-9.]*\).*/\1/p" "$here/make.sh"); svn=${svn:--}
    echo "bootmgr-$f.efi $h $signed $s1 $s256 $v $svn"
  done
  for s in signer-2011 signer-2023 signer-other ca-pca2011 ca-uefi2023 ca-other; do
    # The SHA-256 of the TBSCertificate (dbx's X509_SHA256 entries), cut from the DER by its own lengths.
    tbs=$(python3 -c '
import hashlib, sys
d = open(sys.argv[1], "rb").read()
def hdr(o):  # (header length, value length) of the DER element at o
    n = d[o + 1]
    if n < 0x80: return 2, n
    k = n & 0x7f
    return 2 + k, int.from_bytes(d[o + 2:o + 2 + k], "big")
h, _ = hdr(0)
th, tl = hdr(h)
print(hashlib.sha256(d[h:h + th + tl]).hexdigest())' "$here/$s.der")
    echo "# tbs $s.der $tbs"
    echo "# $s.der subject=$(openssl x509 -in $s.pem -noout -subject -nameopt RFC2253 | sed 's/^subject=//') issuer=$(openssl x509 -in $s.pem -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')"
  done
} > "$here/expected.txt"
echo "make.sh: wrote $(ls "$here"/*.efi | wc -l) images and expected.txt"
