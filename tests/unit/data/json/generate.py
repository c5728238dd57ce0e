#!/usr/bin/env python3
# Made expected.txt once; test_jsonscan only reads it. Python's json module is the oracle for which
# documents are valid JSON and what their tokens are.
# Each line: name TAB input-as-hex TAB "ok" TAB transcript, or name TAB input-as-hex TAB "error".
# The transcript is the token stream in test_jsonscan's notation, separated by spaces:
#   {d }d [d ]d (containers at depth d)  Kd:HEX Sd:HEX (keys, strings as hex of their UTF-8)
#   Nd:TEXT (numbers as written)  Td Fd Zd (true, false, null)
# Cases are the inline ones below plus every *.json file in this directory: graph_export.json (one
# page as PowerShell 7 writes it: UTF-8 BOM, CRLF, indented) and graph_pages.json (an array of
# pages), which test_graph also reads.
# Python decodes the bytes first (BOM, or a NUL in the first two bytes, selects UTF-16, as the
# tokenizer does), strictly, so invalid UTF-8/UTF-16 is an error; NaN and Infinity are refused;
# unpaired surrogates from \u escapes become U+FFFD as in the tokenizer.
# Usage: tests/unit/data/json/generate.py (from anywhere; rewrites expected.txt).
import glob, json, os

HERE = os.path.dirname(os.path.abspath(__file__))


def u16(text, bo, bom=True, raw=None):
    body = raw if raw is not None else text.encode('utf-16-le' if bo == 'le' else 'utf-16-be', 'surrogatepass')
    return ((b'\xff\xfe' if bo == 'le' else b'\xfe\xff') if bom else b'') + body


GRAPH = ('{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/'
         'windowsAutopilotDeviceIdentities","value":[{"id":"a1","serialNumber":"PF-0001",'
         '"hardwareIdentifier":"T0EAAQ==","groupTag":null,"userPrincipalName":"j\\u00fcrgen@contoso.com",'
         '"extra":{"nested":[1,2,{"x":"y"}]}}],"@odata.nextLink":null}')

CASES = [
    # valid
    ('obj_empty', b'{}'),
    ('arr_empty', b'[]'),
    ('ws_around', b' \t\r\n[ ] \n'),
    ('ws_inside', b'[ 1 , { "a" : [ ] } , "x" ]\r\n'),
    ('str_top', b'"abc"'),
    ('str_empty', b'""'),
    ('num_zero', b'0'),
    ('num_negzero', b'-0'),
    ('num_int', b'123'),
    ('num_exp', b'-12.5e+10'),
    ('num_exp_upper', b'1E-2'),
    ('num_frac', b'0.5'),
    ('num_e', b'1e5'),
    ('num_big', b'123456789012345678901234567890'),
    ('num_huge_exp', b'1e400'),
    ('num_negzero_frac', b'-0.0e-0'),
    ('num_in_arr', b'[0,-0,1.25,7e0,-3E+3]'),
    ('lit_true', b'true'),
    ('lit_false', b'false'),
    ('lit_null', b'null'),
    ('lits_arr', b'[true,false,null]'),
    ('mixed', b'{"a":1,"b":[true,false,null],"c":{"d":"e"},"f":[[],{}]}'),
    ('dup_keys', b'{"a":1,"a":2}'),
    ('key_empty', b'{"":""}'),
    ('esc_simple', b'"\\" \\\\ \\/ \\b \\f \\n \\r \\t"'),
    ('esc_unicode', b'"\\u0041\\u00e9\\u20AC\\ud83d\\ude00"'),
    ('esc_nul', b'"a\\u0000b"'),
    ('esc_hi_alone', b'"\\ud800"'),
    ('esc_lo_alone', b'"\\udc00"'),
    ('esc_hi_then_char', b'"\\ud800x"'),
    ('esc_hi_then_bmp', b'"\\ud800\\u0041"'),
    ('esc_hi_hi_lo', b'"\\ud800\\ud800\\udc00"'),
    ('esc_max', b'"\\udbff\\udfff"'),
    ('esc_hi_then_esc', b'"\\ud800\\n"'),
    ('esc_hi_at_end', b'"a\\ud800"'),
    ('esc_hi_in_key', b'{"\\uD834\\uDD1E\\ud834":"\\uDD1E"}'),
    ('esc_lo_hi', b'"\\udc00\\ud800"'),
    ('utf8_raw', '"héllo € 😀 中文 \U0010FFFF"'.encode()),
    ('utf8_del', b'"\x7f"'),
    ('utf8_key', '{"clé":"välue"}'.encode()),
    ('bom_utf8', b'\xef\xbb\xbf{"a":"b"}'),
    ('bom_utf8_only_ws', b'\xef\xbb\xbf 1 '),
    ('utf16le_bom', u16('{"a":["x\U0001F600", 1, true]}', 'le')),
    ('utf16be_bom', u16('{"a":["x\U0001F600", -2.5, null]}', 'be')),
    ('utf16le_nobom', u16('["h\u00e9", {"k": false}]\r\n', 'le', bom=False)),
    ('utf16be_nobom', u16('["h\u00e9", {"k": false}]', 'be', bom=False)),
    ('utf16le_escapes', u16('"\\ud83d\\ude00 \\u0041\\n"', 'le')),
    ('depth_64', b'[' * 64 + b']' * 64),
    ('depth_64_obj', b'{"a":' * 63 + b'[1]' + b'}' * 63),
    ('graph_page', GRAPH.encode()),
    ('graph_page_utf16le', u16(GRAPH, 'le')),
    # invalid
    ('empty', b''),
    ('only_ws', b'  \n '),
    ('only_bom', b'\xef\xbb\xbf'),
    ('only_bom16', b'\xff\xfe'),
    ('trail_comma_arr', b'[1,]'),
    ('trail_comma_obj', b'{"a":1,}'),
    ('missing_colon', b'{"a" 1}'),
    ('missing_value', b'{"a":}'),
    ('bare_key', b'{a:1}'),
    ('single_quotes', b"{'a':1}"),
    ('lit_short', b'tru'),
    ('lit_case', b'trUe'),
    ('lit_nul', b'nul'),
    ('lit_True', b'True'),
    ('lit_after', b'truex'),
    ('nan', b'NaN'),
    ('infinity', b'Infinity'),
    ('neg_infinity', b'-Infinity'),
    ('lead_zero', b'01'),
    ('lead_zero_neg', b'-01'),
    ('lead_zero_zero', b'00'),
    ('lead_zero_arr', b'[01]'),
    ('num_dot_end', b'1.'),
    ('num_dot_start', b'.5'),
    ('num_dot_e', b'1.e5'),
    ('num_e_end', b'1e'),
    ('num_e_sign_end', b'1e+'),
    ('num_minus', b'-'),
    ('num_minus_arr', b'[-]'),
    ('num_plus', b'+1'),
    ('num_hex', b'0x10'),
    ('ctl_in_str', b'"a\x01b"'),
    ('newline_in_str', b'"a\nb"'),
    ('tab_in_str', b'"a\tb"'),
    ('nul_in_str', b'"a\x00b"'),
    ('bad_escape', b'"\\x"'),
    ('bad_escape_a', b'"\\a"'),
    ('short_u', b'"\\u12"'),
    ('bad_u', b'"\\u12G4"'),
    ('upper_U', b'"\\U0041"'),
    ('hi_then_bad_u', b'"\\ud800\\u12"'),
    ('missing_comma_arr', b'[1 2]'),
    ('missing_comma_obj', b'{"a":1 "b":2}'),
    ('extra_close', b'[1]]'),
    ('mismatch_close', b'[1}'),
    ('mismatch_close_obj', b'{"a":1]'),
    ('garbage_after', b'[1] x'),
    ('two_values', b'{} {}'),
    ('nul_after', b'{}\x00'),
    ('unterminated_str', b'"abc'),
    ('unterminated_esc', b'"abc\\'),
    ('unterminated_arr', b'['),
    ('unterminated_obj', b'{"a":1'),
    ('unterminated_key', b'{"a'),
    ('unterminated_after_comma', b'[1,'),
    ('unterminated_after_colon', b'{"a":'),
    ('comment_line', b'// c\n{}'),
    ('comment_block', b'/* */ {}'),
    ('leading_comma', b'[,1]'),
    ('double_comma', b'[1,,2]'),
    ('obj_comma', b'{,}'),
    ('key_number', b'{1:2}'),
    ('utf8_ff', b'"\xff"'),
    ('utf8_overlong', b'"\xc0\x80"'),
    ('utf8_overlong3', b'"\xe0\x80\xaf"'),
    ('utf8_surrogate', b'"\xed\xa0\x80"'),
    ('utf8_too_big', b'"\xf4\x90\x80\x80"'),
    ('utf8_truncated', b'"\xe2\x82"'),
    ('utf8_stray_cont', b'"\x80"'),
    ('utf8_outside', b'\xc3\xa9'),
    ('bom_twice', b'\xef\xbb\xbf\xef\xbb\xbf{}'),
    ('nbsp_ws', b'\xc2\xa0{}'),
    ('formfeed_ws', b'\x0c{}'),
    ('vtab_ws', b'\x0b{}'),
    ('utf16le_lone_hi', u16('', 'le', raw=b'"\x00\x00\xd8"\x00')),
    ('utf16le_lone_lo', u16('', 'le', raw=b'"\x00\x00\xdc"\x00')),
    ('utf16le_odd', u16('[1]', 'le') + b'\x20'),
    ('utf16be_trailing', u16('[1] x', 'be')),
    ('depth_65', b'[' * 65 + b']' * 65),
]


class Obj:
    def __init__(self, pairs):
        self.pairs = pairs


class Num:
    def __init__(self, text):
        self.text = text


def refuse(name):
    raise ValueError('refused constant ' + name)


def decode(b):
    if b.startswith(b'\xef\xbb\xbf'):
        return b[3:].decode('utf-8')
    if b.startswith(b'\xff\xfe'):
        return b[2:].decode('utf-16-le')
    if b.startswith(b'\xfe\xff'):
        return b[2:].decode('utf-16-be')
    if len(b) >= 2 and b[0] == 0 and b[1] != 0:
        return b.decode('utf-16-be')
    if len(b) >= 2 and b[0] != 0 and b[1] == 0:
        return b.decode('utf-16-le')
    return b.decode('utf-8')


def hx(s):
    s = ''.join('\ufffd' if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)
    return s.encode('utf-8').hex()


def depth_of(v):
    if isinstance(v, Obj):
        return 1 + max([depth_of(x) for _, x in v.pairs] or [0])
    if isinstance(v, list):
        return 1 + max([depth_of(x) for x in v] or [0])
    return 0


def walk(v, d, out):
    if isinstance(v, Obj):
        out.append('{%d' % d)
        for k, x in v.pairs:
            out.append('K%d:%s' % (d + 1, hx(k)))
            walk(x, d + 1, out)
        out.append('}%d' % d)
    elif isinstance(v, list):
        out.append('[%d' % d)
        for x in v:
            walk(x, d + 1, out)
        out.append(']%d' % d)
    elif v is True:
        out.append('T%d' % d)
    elif v is False:
        out.append('F%d' % d)
    elif v is None:
        out.append('Z%d' % d)
    elif isinstance(v, Num):
        out.append('N%d:%s' % (d, v.text))
    elif isinstance(v, str):
        out.append('S%d:%s' % (d, hx(v)))
    else:
        raise TypeError(v)


def expect(data):
    try:
        v = json.loads(decode(data), object_pairs_hook=Obj, parse_int=Num, parse_float=Num,
                       parse_constant=refuse)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return 'error'
    if depth_of(v) > 64:  # the tokenizer's limit, which Python does not have
        return 'error'
    out = []
    walk(v, 0, out)
    return 'ok\t' + ' '.join(out)


def main():
    cases = list(CASES)
    for path in sorted(glob.glob(os.path.join(HERE, '*.json'))):
        with open(path, 'rb') as f:
            cases.append(('file:' + os.path.basename(path), f.read()))
    names = [n for n, _ in cases]
    assert len(names) == len(set(names)), 'duplicate case names'
    with open(os.path.join(HERE, 'expected.txt'), 'w') as f:
        for name, data in cases:
            f.write('%s\t%s\t%s\n' % (name, data.hex(), expect(data)))
    print('wrote %d cases' % len(cases))


main()
