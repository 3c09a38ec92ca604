// Package netsource is the push source: TCP, UDP and TLS listeners whose
// byte streams are cut into records, as the Java NettySource connector
// (com.vrudenskyi.kafka.connect.nettysource.NettySourceConnector, and its
// Netty 4 sibling com.mckesson.kafka.connect.netty4.NettySourceConnector)
// does.
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
