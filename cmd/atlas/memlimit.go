package main

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// memoryFraction is the part of the machine's (or the container's) memory that serve's soft
// memory limit is set to when neither --memory-limit nor GOMEMLIMIT says otherwise: the index's
// postings grow with the corpus, and a fixed limit set the collector running flat out once the
// heap outgrew it.
const memoryFraction = 0.5

// parseSize reads a size such as "512MiB", "2GiB", "1.5GB", "800M" or "1048576" (bytes).
// "0" and "off" mean no limit and return 0.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("empty size")
	}
	if strings.EqualFold(t, "off") {
		return 0, nil
	}
	units := []struct {
		suffix string
		mult   float64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
		{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40}, {"B", 1},
	}
	mult := 1.0
	for _, u := range units {
		if len(t) > len(u.suffix) && strings.EqualFold(t[len(t)-len(u.suffix):], u.suffix) {
			mult, t = u.mult, strings.TrimSpace(t[:len(t)-len(u.suffix)])
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || v*mult > 1<<62 {
		return 0, fmt.Errorf("%q is not a size: write a number with a unit, e.g. 512MiB or 2GiB, or 0 for no limit", s)
	}
	return int64(v * mult), nil
}

// machineMemory is the memory this process may use: the cgroup's limit (v2 memory.max or v1
// memory.limit_in_bytes) when there is one below the machine's, else MemTotal from
// /proc/meminfo; 0 when neither can be read.
func machineMemory(read func(string) ([]byte, error)) int64 {
	total := int64(0)
	if b, err := read("/proc/meminfo"); err == nil {
		sc := bufio.NewScanner(strings.NewReader(string(b)))
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			if len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					total = kb << 10
				}
			}
		}
	}
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := read(p)
		if err != nil {
			continue
		}
		v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || v <= 0 { // "max": no limit
			continue
		}
		if total == 0 || v < total {
			total = v
		}
	}
	return total
}

// memoryLimit decides serve's soft memory limit: flag is --memory-limit ("" when not given),
// env is GOMEMLIMIT. It returns the limit to set (0: none) and whether to set one at all; when
// GOMEMLIMIT is set and the flag is not, the runtime has already applied it and nothing is set.
func memoryLimit(flag, env string, machine int64) (limit int64, set bool, err error) {
	switch {
	case flag != "":
		n, err := parseSize(flag)
		if err != nil {
			return 0, false, fmt.Errorf("--memory-limit: %w", err)
		}
		return n, true, nil
	case env != "":
		return 0, false, nil
	case machine > 0:
		return int64(float64(machine) * memoryFraction), true, nil
	}
	return 0, false, nil
}

// memoryLimitText shows a limit for the log.
func memoryLimitText(n int64) string {
	if n <= 0 || n == math.MaxInt64 {
		return "none"
	}
	return fmt.Sprintf("%d MiB", n>>20)
}
