// A PAC file whose answer is not a proxy list.
function FindProxyForURL(url, host) {
    return "PROXIES proxy.contoso.test:3128 please";
}
