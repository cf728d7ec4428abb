package main

import (
	"io/fs"
	"testing"
)

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{"512MiB", 512 << 20, false},
		{"2GiB", 2 << 30, false},
		{"2gib", 2 << 30, false},
		{"1.5GiB", 3 << 29, false},
		{"800M", 800 << 20, false},
		{"1GB", 1e9, false},
		{"64KiB", 64 << 10, false},
		{"1048576", 1 << 20, false},
		{"100B", 100, false},
		{"0", 0, false},
		{"off", 0, false},
		{"", 0, true},
		{"lots", 0, true},
		{"-1GiB", 0, true},
		{"GiB", 0, true},
		{"12XB", 0, true},
	} {
		got, err := parseSize(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d (error %v)", c.in, got, err, c.want, c.bad)
		}
	}
}

func TestMachineMemory(t *testing.T) {
	meminfo := "MemTotal:       24576000 kB\nMemFree:         1000 kB\n"
	for _, c := range []struct {
		name  string
		files map[string]string
		want  int64
	}{
		{"meminfo only", map[string]string{"/proc/meminfo": meminfo}, 24576000 << 10},
		{"cgroup v2 below the machine", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "1073741824\n"}, 1 << 30},
		{"cgroup v2 without a limit", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "max\n"}, 24576000 << 10},
		{"cgroup v1 above the machine", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n"}, 24576000 << 10},
		{"cgroup only", map[string]string{"/sys/fs/cgroup/memory.max": "2147483648"}, 2 << 30},
		{"nothing readable", map[string]string{}, 0},
	} {
		read := func(p string) ([]byte, error) {
			if s, ok := c.files[p]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		}
		if got := machineMemory(read); got != c.want {
			t.Errorf("%s: machineMemory = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		name      string
		flag, env string
		machine   int64
		want      int64
		set, bad  bool
	}{
		{"flag wins over GOMEMLIMIT", "2GiB", "100MiB", 8 << 30, 2 << 30, true, false},
		{"flag 0 turns it off", "0", "", 8 << 30, 0, true, false},
		{"GOMEMLIMIT is left to the runtime", "", "300MiB", 8 << 30, 0, false, false},
		{"half the machine", "", "", 8 << 30, 4 << 30, true, false},
		{"unknown machine: no limit", "", "", 0, 0, false, false},
		{"bad flag", "big", "", 8 << 30, 0, false, true},
	} {
		got, set, err := memoryLimit(c.flag, c.env, c.machine)
		if (err != nil) != c.bad || got != c.want || set != c.set {
			t.Errorf("%s: memoryLimit = %d, %v, %v; want %d, %v, error %v", c.name, got, set, err, c.want, c.set, c.bad)
		}
	}
}
