// Contoso's proxy auto-configuration (test network): the shape corporate PAC files have.
// Plain names and the intranet go direct; this lab's subnet goes through the proxies, the first of
// which (port 3129) is down, so WinHTTP falls back to the second; one host is exempted.
var proxies = "PROXY proxy.contoso.test:3129; PROXY proxy.contoso.test:3128; DIRECT";
var exempt = ["login.live.com"];

function FindProxyForURL(url, host) {
    host = host.toLowerCase();
    if (isPlainHostName(host) || dnsDomainIs(host, ".corp.contoso.test") || localHostOrDomainIs(host, "intranet"))
        return "DIRECT";
    for (var i = 0; i < exempt.length; i++)
        if (dnsDomainIs(host, exempt[i]))
            return "DIRECT";
    if (shExpMatch(url, "http://10.*") || isInNet(host, "10.0.0.0", "255.0.0.0"))
        return "DIRECT";
    if (isInNet(myIpAddress(), "192.168.77.0", "255.255.255.0")) {
        if (shExpMatch(host, "*.windowsupdate.com") || shExpMatch(host, "*.delivery.mp.microsoft.com"))
            return "PROXY proxy.contoso.test:3128; DIRECT";
        return proxies;
    }
    return "DIRECT";
}
