package worker

import (
	"bufio"
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"sluice.io/sluice"
)

// Garbage collector keys of the worker.
const (
	// GCPercentConfig is the garbage collector's target heap growth in
	// percent (Go's GOGC); -1 turns the collector off. The GOGC
	// environment variable, when set, takes precedence.
	GCPercentConfig = "sluice.gc.percent"
	// DefaultGCPercent trades memory for CPU: a long-running worker keeps
	// little live data, so letting the heap grow five-fold between
	// collections saves most of the marking work per record.
	DefaultGCPercent = 400
	// GCMemoryLimitConfig is the soft memory limit in bytes (Go's
	// GOMEMLIMIT); 0 means none. By default it is three quarters of the
	// container's memory limit, or of the physical memory, so that the
	// raised GC target never pushes the process out of memory. The
	// GOMEMLIMIT environment variable, when set, takes precedence.
	GCMemoryLimitConfig = "sluice.gc.memory.limit.bytes"
)

// gcPlan is the collector tuning chosen at start-up. A field is applied
// only when its set flag is true.
type gcPlan struct {
	percent    int
	setPercent bool
	percentSrc string // "default", the key or "GOGC"
	limit      int64
	setLimit   bool
	limitSrc   string // "default", the key, "GOMEMLIMIT" or "none"
}

// planGC decides the collector tuning from the worker properties, the
// environment (getenv) and the memory available to the process (memory
// returns 0 when unknown).
func planGC(props map[string]string, getenv func(string) string, memory func() int64) (gcPlan, error) {
	var p gcPlan
	switch {
	case getenv("GOGC") != "":
		p.percentSrc = "GOGC"
	default:
		p.percent, p.setPercent, p.percentSrc = DefaultGCPercent, true, "default"
		if v, ok := props[GCPercentConfig]; ok {
			s := sluice.JavaTrim(v)
			n, err := strconv.Atoi(s)
			if strings.EqualFold(s, "off") {
				n, err = -1, nil
			}
			if err != nil || n < -1 {
				return p, &sluice.ConfigError{Name: GCPercentConfig, Value: v, Msg: "expected a percentage, -1 or off"}
			}
			p.percent, p.percentSrc = n, GCPercentConfig
		}
	}
	switch {
	case getenv("GOMEMLIMIT") != "":
		p.limitSrc = "GOMEMLIMIT"
	default:
		if v, ok := props[GCMemoryLimitConfig]; ok {
			n, err := strconv.ParseInt(sluice.JavaTrim(v), 10, 64)
			if err != nil || n < 0 {
				return p, &sluice.ConfigError{Name: GCMemoryLimitConfig, Value: v, Msg: "expected a non-negative number of bytes"}
			}
			p.limit, p.setLimit, p.limitSrc = n, n > 0, GCMemoryLimitConfig
			if n == 0 {
				p.limitSrc = "none"
			}
		} else if m := memory(); m > 0 {
			p.limit, p.setLimit, p.limitSrc = m/4*3, true, "default"
		} else {
			p.limitSrc = "none"
		}
	}
	return p, nil
}

// applyGC installs the plan in the runtime and logs it.
func applyGC(p gcPlan, log *slog.Logger) {
	if p.setPercent {
		debug.SetGCPercent(p.percent)
	}
	if p.setLimit {
		debug.SetMemoryLimit(p.limit)
	}
	attrs := []any{"gc.percent.source", p.percentSrc, "memory.limit.source", p.limitSrc}
	if p.setPercent {
		attrs = append(attrs, "gc.percent", p.percent)
	}
	if p.setLimit {
		attrs = append(attrs, "memory.limit.bytes", p.limit)
	}
	log.Info("garbage collector tuning", attrs...)
}

// availableMemory is the memory the process may use: the cgroup v2 or v1
// limit when there is one, else the physical memory; 0 when unknown.
func availableMemory() int64 {
	total := memTotal()
	for _, path := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(b)), 10, 64)
		if err != nil || n <= 0 { // "max" means no limit
			continue
		}
		if total == 0 || n < total {
			return n
		}
	}
	return total
}

// memTotal reads MemTotal from /proc/meminfo; 0 when unavailable.
func memTotal() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var kb int64
		if _, err := fmt.Sscanf(sc.Text(), "MemTotal: %d kB", &kb); err == nil {
			return kb << 10
		}
	}
	return 0
}
