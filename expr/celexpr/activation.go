package celexpr

import (
	"time"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/interpreter"

	"sluice.io/sluice"
)

// Bits of activation.done: which variables are already converted.
const (
	doneTopic uint8 = 1 << iota
	donePartition
	doneTimestamp
	doneKey
	doneValue
)

// activation exposes one record to a program. Activations are pooled by
// their Program; each variable is converted at most once per record, when
// the expression first reads it.
type activation struct {
	rec  *sluice.Record
	done uint8

	topic, partition, timestamp, key, value ref.Val

	headers           headersVal
	keyMap, valueMap  mapVal
	keyStruct, valStr structVal
}

var _ interpreter.Activation = (*activation)(nil)

// reset binds the activation to r (nil to release references).
func (a *activation) reset(r *sluice.Record) {
	*a = activation{rec: r}
	if r != nil {
		a.headers.h = r.Headers
	}
}

// ResolveName implements interpreter.Activation.
func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case varTopic:
		if a.done&doneTopic == 0 {
			a.topic = types.String(a.rec.Topic)
			a.done |= doneTopic
		}
		return a.topic, true
	case varValue:
		if a.done&doneValue == 0 {
			a.value = top(a.rec.Value, &a.valueMap, &a.valStr)
			a.done |= doneValue
		}
		return a.value, true
	case varHeaders:
		return &a.headers, true
	case varKey:
		if a.done&doneKey == 0 {
			a.key = top(a.rec.Key, &a.keyMap, &a.keyStruct)
			a.done |= doneKey
		}
		return a.key, true
	case varPartition:
		if a.done&donePartition == 0 {
			a.partition = types.NullValue
			if a.rec.HasPartition {
				a.partition = types.Int(a.rec.Partition)
			}
			a.done |= donePartition
		}
		return a.partition, true
	case varTimestamp:
		if a.done&doneTimestamp == 0 {
			a.timestamp = types.NullValue
			if a.rec.HasTimestamp {
				a.timestamp = types.Timestamp{Time: time.UnixMilli(a.rec.Timestamp).UTC()}
			}
			a.done |= doneTimestamp
		}
		return a.timestamp, true
	}
	return nil, false
}

// Parent implements interpreter.Activation.
func (a *activation) Parent() interpreter.Activation { return nil }
