#!/usr/bin/env python3
# Made the committed *.der certificates and expected.txt once; the unit test only reads them.
# openssl is the oracle: expected.txt holds what `openssl x509 -inform DER -noout -issuer -subject
# -dates -nameopt RFC2253` (and -modulus / the PKCS#1 key's SHA-256) print for each file.
# Usage: tests/unit/data/x509/generate.py (from the repo root; rewrites this directory's files).
import hashlib, os, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TMP = tempfile.mkdtemp()


def run(*args, data=None):
    return subprocess.run(args, input=data, check=True, capture_output=True).stdout


# ---- a tiny DER encoder, for names openssl req cannot be asked for ----
def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        hdr = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
        hdr = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + hdr + body


def seq(*xs): return tlv(0x30, b''.join(xs))
def set_(*xs): return tlv(0x31, b''.join(sorted(xs)))  # DER sorts SET OF
def integer(v): return tlv(0x02, v.to_bytes(v.bit_length() // 8 + 1, 'big', signed=True))


def oid(dotted):
    arcs = [int(a) for a in dotted.split('.')]
    out = bytearray()
    for a in [arcs[0] * 40 + arcs[1]] + arcs[2:]:
        chunk = [a & 0x7F]
        a >>= 7
        while a:
            chunk.append(0x80 | (a & 0x7F))
            a >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, bytes(out))


STR = {'utf8': 0x0C, 'printable': 0x13, 't61': 0x14, 'ia5': 0x16, 'bmp': 0x1E, 'universal': 0x1C}
A = {'CN': '2.5.4.3', 'C': '2.5.4.6', 'L': '2.5.4.7', 'ST': '2.5.4.8', 'O': '2.5.4.10', 'OU': '2.5.4.11',
     'serialNumber': '2.5.4.5', 'title': '2.5.4.12', 'emailAddress': '1.2.840.113549.1.9.1',
     'DC': '0.9.2342.19200300.100.1.25', 'street': '2.5.4.9', 'GN': '2.5.4.42', 'SN': '2.5.4.4'}


def value(kind, s):
    if isinstance(s, bytes):
        return tlv(STR[kind], s)
    enc = {'bmp': 'utf-16-be', 'universal': 'utf-32-be', 't61': 'latin-1'}.get(kind, 'utf-8')
    return tlv(STR[kind], s.encode(enc, 'surrogatepass'))


def name(*rdns):
    # each rdn: list of (type, encoded value)
    return seq(*[set_(*[seq(oid(A.get(t, t)), v) for t, v in rdn]) for rdn in rdns])


def gentime(s): return tlv(0x18, s.encode())
def utctime(s): return tlv(0x17, s.encode())


def keypair(kind):
    key = os.path.join(TMP, kind + '.pem')
    if kind == 'rsa':
        run('openssl', 'genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key)
    else:
        run('openssl', 'genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key)
    spki = run('openssl', 'pkey', '-in', key, '-pubout', '-outform', 'DER')
    return key, spki


def crafted(fname, issuer, subject, nb, na, key, spki, exts=b''):
    ec = b'\x2a\x86\x48\xce\x3d\x02\x01' in spki
    alg = seq(oid('1.2.840.10045.4.3.2')) if ec else seq(oid('1.2.840.113549.1.1.11'), b'\x05\x00')
    body = [tlv(0xA0, integer(2)), integer(0x1234567890), alg, issuer, seq(nb, na), subject, spki]
    if exts:
        body.append(tlv(0xA3, seq(exts)))
    tbs = seq(*body)
    sig = run('openssl', 'dgst', '-sha256', '-sign', key, data=tbs)
    cert = seq(tbs, alg, tlv(0x03, b'\x00' + sig))
    open(os.path.join(HERE, fname), 'wb').write(cert)


def req(fname, key, subj, extra=(), conf=None):
    args = ['openssl', 'req', '-x509', '-new', '-key', key, '-outform', 'DER', '-out', os.path.join(HERE, fname),
            '-days', '3650', '-set_serial', '4660'] + list(extra)
    if conf:
        cpath = os.path.join(TMP, fname + '.cnf')
        open(cpath, 'w', encoding='utf-8').write(conf)
        args += ['-config', cpath]
    else:
        args += ['-subj', subj]
    run(*args)


def main():
    rsa, rsa_spki = keypair('rsa')
    ec, ec_spki = keypair('ec')

    # Straight from openssl req: RSA and EC, ordinary and multi-valued RDNs, UTF-8, escapes.
    req('rsa_basic.der', rsa, '/C=US/ST=Washington/L=Redmond/O=Contoso Ltd/OU=Devices/CN=Contoso Device CA')
    req('ec_multi_rdn.der', ec, '/DC=com/DC=example/O=Example Inc./OU=Lab+CN=Multi Value+serialNumber=0042'
        '/emailAddress=tpm@example.com')
    req('rsa_utf8.der', rsa, '/C=DE/O=Müller & Söhne GmbH/L=東京/CN=Zoë Ångström', extra=['-utf8'])
    req('ec_escapes.der', ec, '/CN= lead#\\,\\+"\\\\<>;= trail /O=#hash/OU=a=b/L=  ')
    req('rsa_t61.der', rsa, None, conf='[req]\ndistinguished_name=dn\nprompt=no\nstring_mask=nombstr\nutf8=yes\n'
        '[dn]\nC=FR\nO=Société Générale\nCN=Café Zoë\n')
    req('rsa_bmp.der', rsa, None, conf='[req]\ndistinguished_name=dn\nprompt=no\nstring_mask=default\nutf8=yes\n'
        '[dn]\nC=JP\nO=東京 Ωmega\nCN=Ürsula\n')

    # Crafted: an swtpm-style EK certificate (empty subject, critical SAN with the TPM's identity,
    # GeneralizedTime 9999 notAfter), an Infineon-style issuer, and names openssl req cannot make.
    tpm_san = seq(oid('2.5.29.17'), b'\x01\x01\xff', tlv(0x04, seq(tlv(0xA4, name(
        [('2.23.133.2.1', value('utf8', 'id:00001014'))],
        [('2.23.133.2.2', value('utf8', 'swtpm'))],
        [('2.23.133.2.3', value('utf8', 'id:20191023'))])))))
    crafted('ek_swtpm_like.der', name([('CN', value('utf8', 'swtpm-localca'))]), name(),
            utctime('500101000000Z'), gentime('99991231235959Z'), rsa, rsa_spki, tpm_san)
    crafted('ek_ifx_like.der', name([('C', value('printable', 'DE'))],
                                    [('O', value('printable', 'Infineon Technologies AG'))],
                                    [('OU', value('printable', 'OPTIGA(TM) TPM2.0'))],
                                    [('CN', value('printable', 'Infineon OPTIGA(TM) RSA Manufacturing CA 007'))]),
            name(), utctime('151222000000Z'), utctime('301222000000Z'), rsa, rsa_spki)
    crafted('odd_names.der',
            name([('CN', value('ia5', b'ctl\x01\x1f\x7fend'))],
                 [('O', value('printable', '#'))],
                 [('OU', value('printable', ' '))],
                 [('L', value('printable', '  '))],
                 [('ST', value('utf8', ''))],
                 [('1.3.6.1.4.1.99999.1', value('utf8', 'unknown type'))],
                 [('2.23.133.2.1', value('printable', 'id:49465800'))],
                 [('title', seq(integer(5)))],
                 [('SN', value('ia5', b'hi\xe9'))]),
            name([('CN', value('universal', 'Uni \U0001F600 x'))],
                 [('O', value('bmp', 'B\u00e9\u4e2d'))],
                 [('OU', value('t61', b'\xe9t\xe9'))],
                 [('GN', value('printable', '#x'))],
                 [('C', value('utf8', 'a\\b'))],
                 [],
                 [('DC', tlv(0x12, b'0123 456')), ('L', tlv(0x03, b'\x00bits')), ('ST', tlv(0x1D, b'x'))],
                 [('street', value('utf8', b'nul\x00 \xef\xbf\xbf'))]),
            gentime('20240229123456Z'), utctime('491231235959Z'), ec, ec_spki)

    out = []
    for f in sorted(x for x in os.listdir(HERE) if x.endswith('.der')):
        path = os.path.join(HERE, f)
        text = run('openssl', 'x509', '-inform', 'DER', '-in', path, '-noout', '-issuer', '-subject', '-dates',
                   '-nameopt', 'RFC2253').decode('ascii')
        out.append('== ' + f)
        out += text.rstrip('\n').split('\n')
        pem = run('openssl', 'x509', '-inform', 'DER', '-in', path, '-pubkey', '-noout')
        spki = run('openssl', 'pkey', '-pubin', '-outform', 'DER', data=pem)
        if b'\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01' in spki:
            out.append(run('openssl', 'x509', '-inform', 'DER', '-in', path, '-noout', '-modulus').decode().strip())
            pkcs1 = run('openssl', 'rsa', '-pubin', '-RSAPublicKey_out', '-outform', 'DER', data=pem)
            out.append('RSAPublicKeySHA256=' + hashlib.sha256(pkcs1).hexdigest())
        else:
            out.append('ECPoint=' + spki[-65:].hex().upper())
    open(os.path.join(HERE, 'expected.txt'), 'w').write('\n'.join(out) + '\n')


main()
