package netsource

import (
	"net"
	"net/netip"
	"strconv"
	"strings"

	"sluice.io/sluice"
)

// Header names of the network headers, in Java's order.
const (
	HeaderRemoteHost        = "remoteHost"
	HeaderRemotePort        = "remotePort"
	HeaderRemoteAddress     = "remoteAddress"
	HeaderTransportProtocol = "transportProtocol"
	HeaderLocalHost         = "localHost"
	HeaderLocalPort         = "localPort"
	HeaderLocalAddress      = "localAddress"
)

// javaHostString renders an IP as Java's InetAddress.getHostAddress does:
// dotted quad for IPv4 (IPv4-mapped IPv6 addresses count as IPv4, as the
// JDK turns them into Inet4Address), eight uncompressed lowercase hex
// groups for IPv6, followed by %zone when there is one.
func javaHostString(a netip.Addr) string {
	a = a.Unmap()
	if a.Is4() {
		return a.String()
	}
	b := a.As16()
	var sb strings.Builder
	for i := 0; i < 16; i += 2 {
		if i > 0 {
			sb.WriteByte(':')
		}
		sb.WriteString(strconv.FormatUint(uint64(b[i])<<8|uint64(b[i+1]), 16))
	}
	if z := a.Zone(); z != "" {
		sb.WriteByte('%')
		sb.WriteString(z)
	}
	return sb.String()
}

// javaSocketAddress renders an unresolved InetSocketAddress as Java 14+
// prints it: "/127.0.0.1:54321", "/[0:0:0:0:0:0:0:1]:54321".
func javaSocketAddress(a netip.Addr, port uint16) string {
	host := javaHostString(a)
	if a.Unmap().Is4() {
		return "/" + host + ":" + strconv.Itoa(int(port))
	}
	return "/[" + host + "]:" + strconv.Itoa(int(port))
}

// addrPort converts a net.Addr of a TCP or UDP socket.
func addrPort(a net.Addr) (netip.AddrPort, bool) {
	switch x := a.(type) {
	case *net.TCPAddr:
		return x.AddrPort(), true
	case *net.UDPAddr:
		return x.AddrPort(), true
	}
	if a == nil {
		return netip.AddrPort{}, false
	}
	ap, err := netip.ParseAddrPort(a.String())
	return ap, err == nil
}

// networkHeaders builds the headers StringRecordHandler adds, in its order.
// The result has len == cap, so appending to it never writes into a slice
// shared by other records.
func networkHeaders(remote, local netip.AddrPort, hasRemote, hasLocal bool, proto string) sluice.Headers {
	h := make(sluice.Headers, 0, 7)
	if hasRemote {
		h = append(h,
			sluice.Header{Key: HeaderRemoteHost, Schema: sluice.StringSchema, Value: javaHostString(remote.Addr())},
			sluice.Header{Key: HeaderRemotePort, Schema: sluice.Int32Schema, Value: int32(remote.Port())},
			sluice.Header{Key: HeaderRemoteAddress, Schema: sluice.StringSchema, Value: javaSocketAddress(remote.Addr(), remote.Port())})
	}
	h = append(h, sluice.Header{Key: HeaderTransportProtocol, Schema: sluice.StringSchema, Value: proto})
	if hasLocal {
		h = append(h,
			sluice.Header{Key: HeaderLocalHost, Schema: sluice.StringSchema, Value: javaHostString(local.Addr())},
			sluice.Header{Key: HeaderLocalPort, Schema: sluice.Int32Schema, Value: int32(local.Port())},
			sluice.Header{Key: HeaderLocalAddress, Schema: sluice.StringSchema, Value: javaSocketAddress(local.Addr(), local.Port())})
	}
	return h[:len(h):len(h)]
}

// connHeaders builds the network headers of one accepted TCP connection.
func connHeaders(c net.Conn) sluice.Headers {
	r, okR := addrPort(c.RemoteAddr())
	l, okL := addrPort(c.LocalAddr())
	return networkHeaders(r, l, okR, okL, "tcp")
}
