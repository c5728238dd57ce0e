// Everything through the test network's proxy, nothing direct.
function FindProxyForURL(url, host) {
    return "PROXY proxy.contoso.test:3128";
}
