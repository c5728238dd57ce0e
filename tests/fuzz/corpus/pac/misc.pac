var re = /^(\w+)\.(\w+)\.com$/;
function FindProxyForURLEx(url, host) {
  var m = re.exec(host) || [];
  var ip = dnsResolveEx('nowhere'), d = dnsDomainLevels(host) + convert_addr(myIpAddress());
  try { null.x; } catch (e) { alert(e); }
  return JSON.stringify({ m: m, ip: ip, d: d, n: (0.1 + 0.2).toFixed(3), p: Math.pow(2, 0.5) }) + isInNetEx(host, '10.0.0.0/8');
}
