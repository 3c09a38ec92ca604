package sluice

import (
	"bufio"
	"compress/gzip"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestJavaFloatGolden compares against Double.toString / Float.toString
// output recorded from JDK 17 for random and boundary values.
func TestJavaFloatGolden(t *testing.T) {
	f, err := os.Open("testdata/javafloat.golden.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(zr)
	n, bad := 0, 0
	for sc.Scan() {
		parts := strings.Fields(sc.Text())
		if len(parts) != 3 {
			t.Fatalf("bad golden line %q", sc.Text())
		}
		bitsv, err := strconv.ParseUint(parts[1], 16, 64)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if parts[0] == "d" {
			got = FormatJavaDouble(math.Float64frombits(bitsv))
		} else {
			got = FormatJavaFloat(math.Float32frombits(uint32(bitsv)))
		}
		n++
		if got != parts[2] {
			bad++
			if bad <= 20 {
				t.Errorf("%s %s: got %s, want %s", parts[0], parts[1], got, parts[2])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 1000 {
		t.Fatalf("only %d golden values", n)
	}
	if bad > 0 {
		t.Errorf("%d of %d values differ", bad, n)
	}
}

func TestJavaFloatSpecial(t *testing.T) {
	cases := []struct {
		got, want string
	}{
		{FormatJavaDouble(1e10), "1.0E10"},
		{FormatJavaDouble(9.999999999999999e22), "9.999999999999999E22"},
		{FormatJavaDouble(8.41e21), "8.409999999999999E21"},
		{FormatJavaDouble(2e-3), "0.002"},
		{FormatJavaDouble(1e-4), "1.0E-4"},
		{FormatJavaDouble(1e7), "1.0E7"},
		{FormatJavaDouble(9999999), "9999999.0"},
		{FormatJavaDouble(math.NaN()), "NaN"},
		{FormatJavaDouble(math.Inf(-1)), "-Infinity"},
		{FormatJavaDouble(math.Copysign(0, -1)), "-0.0"},
		{FormatJavaDouble(4.9e-324), "4.9E-324"},
		{FormatJavaFloat(1e10), "1.0E10"},
		{FormatJavaFloat(1.6777216e7), "1.6777216E7"},
		{FormatJavaFloat(0.1), "0.1"},
		{FormatJavaFloat(3.4028235e38), "3.4028235E38"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %s, want %s", i, c.got, c.want)
		}
	}
}

func BenchmarkAppendJavaDouble(b *testing.B) {
	buf := make([]byte, 0, 32)
	vals := []float64{0.1, 1234.5678, 1e23, 3.141592653589793, 1700000000123}
	for i := 0; b.Loop(); i++ {
		buf = AppendJavaDouble(buf[:0], vals[i%len(vals)])
	}
}
