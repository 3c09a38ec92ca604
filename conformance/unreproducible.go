package conformance

// Unreproducible returns why a recorded vector cannot be reproduced from its
// own file, or "" when it can. Such vectors are reported as skipped by the
// test suites (the `sluice conformance` command still runs and counts them).
// An entry must name the information the file lost; it never excuses a
// behaviour Sluice gets wrong.
func Unreproducible(id string) string {
	switch id {
	case "vr.regexrules.schemaless-map-toString":
		// The record's JSON object was written with its members sorted. Java
		// decoded the original document, in which "card" came before "age";
		// the two keys share a java.util.HashMap bucket, so Map.toString
		// printed them in that original insertion order, which the sorted
		// file no longer holds.
		return "input member order lost: card and age share a HashMap bucket"
	}
	return ""
}
