// A PAC file with a syntax error on line 3.
function FindProxyForURL(url, host) {
    if (host == "x" { return "DIRECT"; }
    return "PROXY proxy.contoso.test:3128";
}
