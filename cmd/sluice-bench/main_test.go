package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	if os.Getenv(roleEnv) == "sender" {
		os.Exit(senderMain(os.Args[1:], os.Stderr))
	}
	os.Exit(m.Run())
}

var throughputLine = regexp.MustCompile(`throughput +(\d+) lines/s, ([\d.]+) MB/s`)

// runBench runs the command line and returns its report.
func runBench(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb strings.Builder
	if code := run(args, &out, &errb); code != 0 {
		t.Fatalf("sluice-bench %v exited %d: %s", args, code, errb.String())
	}
	return out.String()
}

// TestBenchSmall pushes 20,000 lines through the whole pipeline from a
// sender process, reads every record back (-verify) and checks the report.
func TestBenchSmall(t *testing.T) {
	out := runBench(t, "-lines", "20000", "-conns", "3", "-verify")
	m := throughputLine.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no throughput in the report:\n%s", out)
	}
	if n, _ := strconv.Atoi(m[1]); n <= 0 {
		t.Fatalf("throughput %s lines/s", m[1])
	}
	for _, want := range []string{
		"lines         20000 over 3 TCP connections",
		"cpu (worker + embedded broker)", "cpu (sender)", "peak RSS",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	tm := regexp.MustCompile(`syslog-critical=(\d+) syslog-warning=(\d+) syslog-info=(\d+) syslog-dlq=0\n`).FindStringSubmatch(out)
	if tm == nil {
		t.Fatalf("no topic counts in the report:\n%s", out)
	}
	sum := 0
	for _, v := range tm[1:] {
		n, _ := strconv.Atoi(v)
		sum += n
	}
	if sum != 20000 {
		t.Fatalf("topics hold %d records:\n%s", sum, out)
	}
}

// TestBenchInProcessSender sends from the benchmark's own process.
func TestBenchInProcessSender(t *testing.T) {
	out := runBench(t, "-lines", "2001", "-conns", "2", "-inproc-sender", "-connector", "tasks.max=1")
	if !strings.Contains(out, "cpu (worker + embedded broker + sender)") || strings.Contains(out, "cpu (sender)") {
		t.Fatalf("report:\n%s", out)
	}
}

func TestBenchFlags(t *testing.T) {
	var out, errb strings.Builder
	for _, args := range [][]string{{"-lines", "0"}, {"-conns", "-1"}, {"-worker", "novalue"}, {"-nope"}} {
		if code := run(args, &out, &errb); code != 2 {
			t.Errorf("%v exited %d, want 2", args, code)
		}
	}
}

// TestMakeLine checks the generated lines: about 190 bytes, every
// severity, cards and SSNs at the documented rates, and masked forms
// without any digit run of a card or SSN.
func TestMakeLine(t *testing.T) {
	sevs := map[string]int{}
	total, cards, ssns := 0, 0, 0
	card := regexp.MustCompile(`\b\d{4}[- ]?\d{4}[- ]?\d{4}[- ]?\d{4}\b`)
	ssn := regexp.MustCompile(`\b\d{3}-\d{2}-\d{4}\b`)
	for seq := 0; seq < 9000; seq++ {
		l := makeLine(seq%4, seq)
		total += len(l.raw)
		sevs[l.topic]++
		if card.Match(l.raw) {
			cards++
		}
		if ssn.Match(l.raw) {
			ssns++
		}
		if card.MatchString(l.masked) || ssn.MatchString(l.masked) {
			t.Fatalf("masked form %q still holds a number", l.masked)
		}
		if l.raw[len(l.raw)-1] != '\n' || strings.Count(string(l.raw), "\n") != 1 {
			t.Fatalf("line %q", l.raw)
		}
	}
	if avg := total / 9000; avg < 180 || avg > 200 {
		t.Errorf("average line length %d, want about 190", avg)
	}
	if cards != 3000 || ssns != 1800 {
		t.Errorf("%d cards and %d SSNs in 9000 lines", cards, ssns)
	}
	if sevs[topicCritical] != 4500 || sevs[topicWarning] != 2250 || sevs[topicInfo] != 2250 {
		t.Errorf("topics %v", sevs)
	}
}

func TestShare(t *testing.T) {
	sum := 0
	for c := 0; c < 7; c++ {
		sum += share(1000, 7, c)
	}
	if sum != 1000 || share(1000, 7, 0) != 143 || share(1000, 7, 6) != 142 {
		t.Fatalf("shares of 1000 over 7: sum %d", sum)
	}
}
