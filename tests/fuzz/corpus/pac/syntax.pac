function FindProxyForURL(u, h) {
  return "x
}