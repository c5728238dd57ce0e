function FindProxyForURL(url, host) {
  host = host.toLowerCase();
  if (isPlainHostName(host) || localHostOrDomainIs(host, 'printer.corp.example')) return 'DIRECT';
  if (dnsDomainIs(host, '.corp.example') && !dnsDomainIs(host, 'www.corp.example')) return 'DIRECT';
  var noproxy = ['*.microsoftonline.com', '*.windowsupdate.com', 'login.live.com'];
  for (var i = 0; i < noproxy.length; i++) if (shExpMatch(host, noproxy[i])) return 'DIRECT';
  if (isInNet(host, '192.168.0.0', '255.255.0.0') || !isResolvable(host)) return 'DIRECT';
  if (isInNet(myIpAddress(), '192.168.10.0', '255.255.255.0')) return 'PROXY b:3128; PROXY a:8080; DIRECT';
  return 'PROXY a:8080; PROXY b:3128; DIRECT';
}
