package netsource

import (
	"fmt"
	"testing"
)

// syslogStream returns about size bytes of LF-terminated syslog-like lines
// of about 190 bytes each, and the number of lines.
func syslogStream(size int) ([]byte, int) {
	var out []byte
	n := 0
	for len(out) < size {
		line := fmt.Sprintf("<134>Oct 11 22:14:15 host-%03d.example.net sshd[%05d]: Accepted publickey for user%04d "+
			"from 10.%d.%d.%d port %05d ssh2: RSA SHA256:Xk3wq7vJp9Lr2mZc4YtBnE8sHfGdUaQo session=%08x\n",
			n%997, 1000+n%9000, n%10000, n%256, (n/7)%256, (n/13)%256, 1024+n%60000, n*2654435761)
		out = append(out, line...)
		n++
	}
	return out, n
}

func feedChunks(b *testing.B, d *FrameDecoder, data []byte, chunk int, emit func([]byte)) {
	for off := 0; off < len(data); off += chunk {
		if err := d.Feed(data[off:min(off+chunk, len(data))], emit); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFrameDecoder decodes 1 MiB of syslog lines fed in 64 KiB chunks
// with the default delimiters (NUL and LF).
func BenchmarkFrameDecoder(b *testing.B) {
	data, lines := syslogStream(1 << 20)
	f, err := NewFramer(nil)
	if err != nil {
		b.Fatal(err)
	}
	d := f.NewDecoder()
	frames := 0
	emit := func([]byte) { frames++ }
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		feedChunks(b, d, data, 64<<10, emit)
	}
	b.StopTimer()
	if frames != lines*b.N {
		b.Fatalf("%d frames, want %d", frames, lines*b.N)
	}
}

// BenchmarkFrameDecoderRecords is BenchmarkFrameDecoder plus turning every
// frame into its record value (one string per record).
func BenchmarkFrameDecoderRecords(b *testing.B) {
	data, lines := syslogStream(1 << 20)
	f, err := NewFramer(nil)
	if err != nil {
		b.Fatal(err)
	}
	d := f.NewDecoder()
	records := 0
	var last string
	emit := func(frame []byte) {
		if s, ok := RecordValue(frame); ok {
			records++
			last = s
		}
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		feedChunks(b, d, data, 64<<10, emit)
	}
	b.StopTimer()
	if records != lines*b.N || last == "" {
		b.Fatalf("%d records, want %d", records, lines*b.N)
	}
}

// BenchmarkFrameDecoderCRLF uses a two-byte delimiter.
func BenchmarkFrameDecoderCRLF(b *testing.B) {
	data, _ := syslogStream(1 << 20)
	crlf := make([]byte, 0, len(data)+len(data)/150)
	for _, c := range data {
		if c == '\n' {
			crlf = append(crlf, '\r')
		}
		crlf = append(crlf, c)
	}
	f, err := NewFramer(map[string]string{"channel.tcp.frame.delimeters": `\r\n`})
	if err != nil {
		b.Fatal(err)
	}
	d := f.NewDecoder()
	emit := func([]byte) {}
	b.SetBytes(int64(len(crlf)))
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		feedChunks(b, d, crlf, 64<<10, emit)
	}
}
