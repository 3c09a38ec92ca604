package sluice

// ByteBuffer is a BYTES value held the way some Java code holds it: as a
// java.nio.ByteBuffer rather than a byte[]. Converters accept it wherever
// they accept []byte; its text form is Java's ByteBuffer.toString.
type ByteBuffer []byte
