// Package links checks the external addresses the corpus cites, so that organisers can keep
// the reading list current (atlas links).
//
// Collect gathers every distinct http(s) address of a loaded corpus: each guidance entry's
// url, each country's contact_point and the external links inside entry bodies, with the
// entries that use it. Check fetches them concurrently and politely: a bounded number of
// requests at once, at most two in flight per host with a short pause between requests to
// one host, a timeout per request, and retries with exponential backoff for timeouts,
// connection errors, 429 and 5xx answers.
//
// Many government sites answer HEAD wrongly, so Check sends GET and reads at most the first
// 512 KB of a page. It follows redirects itself, to tell a permanent move (301, 308: the
// entry should cite the new address) from a temporary redirect (302, 303, 307: reported,
// not a problem). When a page that an entry cites as its source has a <title> that no longer
// resembles the entry's title, or looks like an error page, the link is reported as changed;
// PDFs and pages without a title never are.
//
// A link that got no answer from the network at all (no name resolution, no route, a refused
// connection, a timeout) is marked NoAnswer. When every link is, the machine is offline:
// NoNetwork says so, and Probe finds it out from a few hosts in seconds, before a long run
// would wait out every retry only to call every link dead.
package links
