// Package smt holds Apache Kafka's Single Message Transforms and predicates,
// one file each, registered under their Java class names.
package smt
