#!/usr/bin/env python3
# Made random.bin and expected.txt once; test_sha256 checks prefixes of random.bin against these
# digests from Python's hashlib (and the whole file against sha256sum, checked here).
import hashlib, os, subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
data = os.urandom(4099)
open(os.path.join(HERE, 'random.bin'), 'wb').write(data)
lens = [0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 1000, 4095, 4096, 4099]
lines = ['%d %s' % (n, hashlib.sha256(data[:n]).hexdigest()) for n in lens]
whole = subprocess.run(['sha256sum', os.path.join(HERE, 'random.bin')], capture_output=True, check=True)
assert whole.stdout.split()[0].decode() == hashlib.sha256(data).hexdigest()
open(os.path.join(HERE, 'expected.txt'), 'w').write('# prefix length, SHA-256 of random.bin[:length]\n' +
                                                   '\n'.join(lines) + '\n')
