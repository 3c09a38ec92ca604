// Package netsource is the push source: TCP, UDP and TLS listeners whose
// byte streams are cut into records, as the Java NettySource connector
// (com.vrudenskyi.kafka.connect.nettysource.NettySourceConnector, and its
// Netty 4 sibling com.mckesson.kafka.connect.netty4.NettySourceConnector)
// does.
//
// # Connector and tasks
//
// Every task receives the same configuration and binds one listener on
// the first free port of `port` followed by `ports` (so N tasks on one host
// take N different ports); when every candidate is taken the task fails
// with an error naming them. `transport.protocol` is tcp or udp. Each
// non-blank frame (TCP) or datagram (UDP) becomes a record as Java's
// StringRecordHandler makes it: the text as a STRING value without schema,
// no key, no Kafka partition, no timestamp, empty source partition and
// offset maps, and the headers remoteHost, remotePort (INT32),
// remoteAddress ("/127.0.0.1:54321", "/[0:0:0:0:0:0:0:1]:54321"),
// transportProtocol ("tcp" or "udp"), localHost, localPort (INT32),
// localAddress. All records of one TCP connection share one read-only
// header slice.
//
// Records wait in a bounded queue (connector.queue.capacity, default
// 100000). When it is full, TCP connections are not read until Poll makes
// room, so TCP flow control pushes back on the senders and nothing is
// dropped; UDP datagrams are dropped and counted (Task.Dropped). Poll
// returns up to connector.queue.batchSize records, collecting for at most
// poll.interval. Stop closes the listeners and connections; records already
// received stay queued and the next Poll returns them all.
//
// TLS (ssl.enabled, TCP only) serves certificates from a JKS, PKCS12 or PEM
// keystore, chooses the entry by SNI when ssl.key.alias is set, and can ask
// for client certificates (ssl.client.auth). A health-check listener
// (healthcheck.enabled) accepts connections and discards their data.
//
// # Syslog
//
// With syslog.enabled=true every message is parsed as RFC 5424 or RFC 3164
// (syslog.format, default auto) and its fields become headers after the
// network headers: syslog.format, syslog.facility and syslog.severity
// (INT32), syslog.version (INT32, RFC 5424), syslog.timestamp (RFC 3339),
// syslog.hostname, syslog.appname, syslog.procid, syslog.msgid, and one
// syslog.sd.<SD-ID>.<PARAM> header per structured-data parameter (sorted;
// an element without parameters gives syslog.sd.<SD-ID> with an empty
// value). The value is the message part, or the whole line with
// syslog.value=line. A message that does not parse is delivered whole with
// a syslog.parseError header. Over TCP the stream is split as RFC 6587
// describes (syslog.framing: octet-counting, non-transparent with LF or NUL
// trailers, or auto per message); over UDP each datagram is one message.
//
// # TCP framing
//
// A TCP connection delivers a byte stream; the framer cuts it into frames and
// every frame that is not blank becomes one record whose value is the
// frame's text. The default framer is configured by these keys (the Netty 4
// connector spells the prefix channel.tcp.frame., the Netty 3 connector
// pipeline.factory.tcp.frame.; both are accepted, and when a key is given
// under both the channel.tcp.frame. one wins):
//
//	channel.tcp.frame.delimeters      LIST    \0,\n   delimiter strings (the key keeps Java's spelling);
//	                                                  Java escapes (\n, \r, \t, \0 octal, \uXXXX) are
//	                                                  decoded, then the text is encoded as UTF-8
//	channel.tcp.frame.maxLength       INT     8192    longest frame in bytes (must be positive)
//	channel.tcp.frame.stripDelimiter  BOOLEAN true    leave the delimiter out of the frame
//	channel.tcp.frame.failFast        BOOLEAN false   accepted; has no effect
//
// Decoding repeats on the bytes received so far until no frame can be cut:
// the delimiter occurring first ends the frame (on a tie, the one listed
// first). When it lies more than maxLength bytes from the frame start, or no
// delimiter is there and more than maxLength bytes are waiting, exactly
// maxLength bytes are cut off as a frame and decoding continues with the
// rest, so an over-long line becomes several frames. Only the delimiter that
// ended the frame is removed: with the defaults "abc\r\n" gives "abc\r".
//
// A frame is blank when its text is empty or consists of Java whitespace
// (Character.isWhitespace); blank frames produce no record. Frames are decoded
// as UTF-8, malformed bytes becoming U+FFFD exactly as Java's decoder does.
//
// When the peer closes the connection, bytes still waiting for a delimiter
// are delivered as one last frame. Java drops them; Sluice keeps them (see
// docs/differences.md).
//
// The optional simple framer (SimpleDelimeterFrameDecoder, selected through
// a handler override) cuts after a single delimiter byte or after
// maxFrameLength bytes, whichever comes first; with stripDelimiter the last
// byte of every frame is dropped, delimiter or not, as Java does.
package netsource
