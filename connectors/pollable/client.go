package pollable

import (
	"context"
	"fmt"
	"time"

	"sluice.io/sluice"
)

// APIClient is the Go form of Java's PollableAPIClient: it reads one remote
// API, split into source partitions, and turns what it reads into records.
//
// The task calls Configure once with every connector property, then
// Partitions, InitialOffset for partitions without a stored offset, and Poll
// repeatedly; Close when the task stops. The context given to Partitions and
// Poll is the stop signal: it is cancelled when the task stops, and every
// wait or request must end promptly when it is.
type APIClient interface {
	// Configure receives all connector properties, unchanged.
	Configure(cfg map[string]string) error
	// Partitions returns the source partitions; the list must be the same on
	// every call and in every instance (the connector and each task call it).
	Partitions(ctx context.Context) ([]map[string]any, error)
	// InitialOffset returns a new offset map for a partition that has no
	// stored offset.
	InitialOffset(partition map[string]any) (map[string]any, error)
	// Poll reads data of one partition starting at offset and returns
	// records (possibly none). It advances the partition's state by updating
	// offset in place, and gives every record its own SourceOffset: a
	// snapshot from which a restart continues right after that record, which
	// is never modified afterwards. itemsToPoll is a target, not a limit.
	Poll(ctx context.Context, topic string, partition, offset map[string]any, itemsToPoll int) ([]*sluice.Record, error)
	// Close releases resources.
	Close()
}

// ClockSetter is implemented by clients whose time-dependent logic (token
// expiry, rate-limit waits, time windows) should follow the task's clock.
type ClockSetter interface {
	SetClock(c Clock)
}

// Clock is the source of time for schedules and waits, so that they can be
// driven by tests.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, or until ctx is done (then it returns ctx's error).
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock (time.Now and timers). Inside a
// testing/synctest bubble it follows the bubble's fake time.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Clients is the registry of API clients, keyed by Java class name, with the
// unique simple-name aliases Connect would accept for them.
var Clients = sluice.NewRegistry()

// ClientInfo describes a registered API client.
type ClientInfo struct {
	// Class is the Java class name (or a Sluice name for clients Java lacks).
	Class string
	// OldClasses are further names resolving to the same client.
	OldClasses []string
	// Config declares the client's own keys (for docs and validation).
	Config *sluice.ConfigDef
	// Doc describes the client.
	Doc string
	// New returns an unconfigured client.
	New func() APIClient
}

// RegisterClient adds an API client to Clients; call it from init().
func RegisterClient(info ClientInfo) {
	newFn := info.New
	Clients.Register(&sluice.Plugin{
		Class:      info.Class,
		OldClasses: info.OldClasses,
		Config:     info.Config,
		Doc:        info.Doc,
		New:        func() any { return newFn() },
	})
}

// NewClient resolves a class name or alias and returns a new client.
func NewClient(name string) (APIClient, string, error) {
	p, class, err := Clients.Lookup(name)
	if err != nil {
		return nil, "", err
	}
	c, ok := p.New().(APIClient)
	if !ok {
		return nil, "", fmt.Errorf("class %s is not a PollableAPIClient", class)
	}
	return c, class, nil
}
