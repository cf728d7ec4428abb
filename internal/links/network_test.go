package links

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// offlineTransport resolves no name: its resolver fails every lookup, as on a machine with no
// network. Nothing leaves the machine.
func offlineTransport() http.RoundTripper {
	r := &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("network is unreachable")}
	}}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = (&net.Dialer{Resolver: r, Timeout: time.Second}).DialContext
	t.Proxy = nil
	return t
}

func TestNoNetwork(t *testing.T) {
	site := newSite(t)
	var invalid []Link
	for _, h := range []string{"a.invalid", "b.invalid", "c.invalid", "d.invalid"} {
		invalid = append(invalid, source("https://"+h+"/guidelines"))
	}
	closed := []Link{source(closedURL(t)), source(closedURL(t))}
	for _, test := range []struct {
		name      string
		links     []Link
		transport http.RoundTripper
		offline   bool
		why       string
	}{
		{"no name resolves", invalid, offlineTransport(), true, "DNS: "},
		{"every connection refused", closed, nil, true, "connection refused"},
		{"one site answers", append([]Link{source(site.URL + "/match")}, closed...), nil, false, ""},
		{"a 404 is an answer", []Link{source(site.URL + "/missing")}, nil, false, ""},
		{"nothing to check", nil, nil, false, ""},
	} {
		t.Run(test.name, func(t *testing.T) {
			opts := testOptions()
			opts.Transport = test.transport
			start := time.Now()
			offline, why := Probe(t.Context(), test.links, opts)
			if offline != test.offline || !strings.Contains(why, test.why) {
				t.Errorf("Probe = %v, %q; want %v, %q", offline, why, test.offline, test.why)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Probe took %v", d)
			}
			res, err := Check(t.Context(), test.links, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := NoNetwork(res); got != test.offline {
				t.Errorf("NoNetwork after Check = %v, want %v: %+v", got, test.offline, res)
			}
		})
	}
}
