package web

import (
	"net"
	"net/http"
	"strings"
)

// clientIP is the address a request comes from: the connection's, or, when that is a trusted
// proxy, the last address in X-Forwarded-For that is not one. Entries may carry a port
// ("192.0.2.1:4711", "[2001:db8::1]:4711"), which some proxies write; an entry that is not an
// address ends the search, since nothing before it can be believed.
func clientIP(r *http.Request, trusted []*net.IPNet) net.IP {
	ip := parseAddr(r.RemoteAddr)
	if ip == nil || !isTrusted(ip, trusted) {
		return ip
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		prev := parseAddr(hops[i])
		if prev == nil {
			return ip
		}
		ip = prev
		if !isTrusted(ip, trusted) {
			return ip
		}
	}
	return ip
}

// parseAddr reads an IP address with or without a port and brackets.
func parseAddr(s string) net.IP {
	s = strings.TrimSpace(s)
	if ip := net.ParseIP(s); ip != nil {
		return ip
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		return net.ParseIP(host)
	}
	return net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
}

func isTrusted(ip net.IP, trusted []*net.IPNet) bool {
	for _, n := range trusted {
		if n.Contains(ip) {
			return true
		}
	}
	return false
}

// clientKey is what limits count a client by: its IPv4 address, or the /64 network of its
// IPv6 address, since one subscriber is usually given a whole /64 and can pick any address in
// it.
func clientKey(ip net.IP) string {
	if ip == nil {
		return ""
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return (&net.IPNet{IP: ip.Mask(net.CIDRMask(64, 128)), Mask: net.CIDRMask(64, 128)}).String()
}
