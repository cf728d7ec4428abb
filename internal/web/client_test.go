package web

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestClientKey(t *testing.T) {
	proxy := []*net.IPNet{{IP: net.IP{10, 0, 0, 1}, Mask: net.CIDRMask(32, 32)}}
	for _, test := range []struct {
		remote, xff string
		trusted     []*net.IPNet
		want        string
	}{
		{"192.0.2.1:1234", "", nil, "192.0.2.1"},
		{"192.0.2.1:1234", "198.51.100.7", nil, "192.0.2.1"}, // an untrusted sender's header is ignored
		{"[2001:db8:1:2:aaaa::1]:1234", "", nil, "2001:db8:1:2::/64"},
		{"[2001:db8:1:2:bbbb::2]:1234", "", nil, "2001:db8:1:2::/64"},
		{"[::ffff:192.0.2.9]:1234", "", nil, "192.0.2.9"},
		{"10.0.0.1:1234", "198.51.100.7", proxy, "198.51.100.7"},
		{"10.0.0.1:1234", "198.51.100.7:4711", proxy, "198.51.100.7"},
		{"10.0.0.1:1234", "[2001:db8:9::5]:4711", proxy, "2001:db8:9::/64"},
		{"10.0.0.1:1234", "203.0.113.5, 198.51.100.7:80, 10.0.0.1", proxy, "198.51.100.7"},
		{"10.0.0.1:1234", "not-an-address", proxy, "10.0.0.1"},
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.RemoteAddr = test.remote
		if test.xff != "" {
			req.Header.Set("X-Forwarded-For", test.xff)
		}
		if got := clientKey(clientIP(req, test.trusted)); got != test.want {
			t.Errorf("client of %s with X-Forwarded-For %q = %q, want %q", test.remote, test.xff, got, test.want)
		}
	}
}

// Two addresses of one IPv6 /64 share a budget, and clients behind a proxy that writes ports
// into X-Forwarded-For each have their own.
func TestRateLimitIdentity(t *testing.T) {
	_, proxy, _ := net.ParseCIDR("10.0.0.1/32")
	s := serveFixture(t, Config{RateLimit: 1, RateBurst: 3, TrustedProxies: []*net.IPNet{proxy}})
	from := func(remote, xff string) int {
		req := httptest.NewRequest(http.MethodGet, "/api/search?q=screening", nil)
		req.RemoteAddr = remote
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec.Code
	}
	for range 3 {
		from("[2001:db8:1:2::1]:1000", "")
	}
	if code := from("[2001:db8:1:2::ffff]:1000", ""); code != http.StatusTooManyRequests {
		t.Errorf("another address in the same /64: %d, want 429", code)
	}
	if code := from("[2001:db8:1:3::1]:1000", ""); code != http.StatusOK {
		t.Errorf("an address in another /64: %d, want 200", code)
	}
	for range 3 {
		from("10.0.0.1:5000", "198.51.100.7:4711")
	}
	if code := from("10.0.0.1:5000", "198.51.100.7:4712"); code != http.StatusTooManyRequests {
		t.Errorf("the same client through the proxy: %d, want 429", code)
	}
	if code := from("10.0.0.1:5000", "198.51.100.8:4711"); code != http.StatusOK {
		t.Errorf("another client through the proxy: %d, want 200", code)
	}
}
