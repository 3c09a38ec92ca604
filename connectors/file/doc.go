// Package file provides Kafka Connect's FileStream example connectors:
// FileStreamSourceConnector reads a text file (or standard input) line by
// line into records, and FileStreamSinkConnector appends each record's value
// to a file (or standard output), as Apache Kafka's
// org.apache.kafka.connect.file connectors do.
//
// Source records carry the source partition {"filename": file} and the
// offset {"position": n}, where n counts the bytes of the file consumed up to
// and including the line's terminator; a restarted task skips that many
// bytes. Lines end at "\n", "\r" or "\r\n". A last line without terminator
// is held back until it is terminated, because the file may still grow; a
// "\r" at the end of the data read so far is held back too, since a "\n"
// may follow. Standard input cannot grow once it is closed, so there the
// last unterminated line is delivered at end of input.
package file
