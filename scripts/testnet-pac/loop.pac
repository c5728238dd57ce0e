// A PAC file that never returns: the engine's budget must cut it off.
function FindProxyForURL(url, host) {
    var n = 0;
    while (true) { n++; }
}
