package links

import (
	"context"
	"time"
)

// probeHosts is how many hosts Probe tries, and probeTimeout the most it waits for each.
const (
	probeHosts   = 3
	probeTimeout = 5 * time.Second
)

// NoNetwork reports whether every result got no answer from the network at all (see
// Result.NoAnswer): nothing was checked, so no link can be called dead.
func NoNetwork(results []Result) bool {
	for _, r := range results {
		if !r.NoAnswer {
			return false
		}
	}
	return len(results) > 0
}

// Probe checks a few links on different hosts once each, without retries and with a short
// timeout, before a long run. It reports whether none of them got any answer from the network,
// with the reason the first gave: offline, a run would only wait out every retry and then
// call every link dead. A probe that reaches anything says nothing about the other links.
func Probe(ctx context.Context, links []Link, opts Options) (offline bool, why string) {
	var sample []Link
	seen := map[string]bool{}
	for _, i := range interleaveHosts(links) {
		if h := hostKey(links[i].URL); !seen[h] {
			seen[h] = true
			sample = append(sample, links[i])
		}
		if len(sample) == probeHosts {
			break
		}
	}
	if len(sample) == 0 {
		return false, ""
	}
	opts.Retries, opts.HostDelay, opts.Progress = -1, -1, nil
	if opts.Timeout <= 0 || opts.Timeout > probeTimeout {
		opts.Timeout = probeTimeout
	}
	results, err := Check(ctx, sample, opts)
	if err != nil || !NoNetwork(results) {
		return false, ""
	}
	return true, results[0].Detail
}
