package pollable

import (
	"fmt"
	"strings"
	"time"

	"github.com/adhocore/gronx"
	"github.com/reugn/go-quartz/quartz"
)

// Schedule is a parsed poll.cron expression.
type Schedule interface {
	// Next returns the first fire time strictly after t, or false when the
	// schedule never fires again.
	Next(t time.Time) (time.Time, bool)
}

// ParseCron parses a cron expression, choosing the dialect by its number of
// fields: 5 fields (minute hour day-of-month month day-of-week) or a gronx
// macro such as @daily are UNIX cron, as the Java connector reads them;
// 6 or 7 fields (seconds first, optional year) are Quartz cron. Times are
// computed in loc.
func ParseCron(expr string, loc *time.Location) (Schedule, error) {
	if loc == nil {
		loc = time.Local
	}
	fields := strings.Fields(expr)
	switch {
	case len(fields) == 5 || (len(fields) == 1 && strings.HasPrefix(fields[0], "@")):
		e := strings.Join(fields, " ")
		if !gronx.IsValid(e) {
			return nil, fmt.Errorf("invalid UNIX cron expression %q", expr)
		}
		return unixCron{expr: e, loc: loc}, nil
	case len(fields) == 6 || len(fields) == 7:
		t, err := quartz.NewCronTriggerWithLoc(strings.Join(fields, " "), loc)
		if err != nil {
			return nil, fmt.Errorf("invalid Quartz cron expression %q: %w", expr, err)
		}
		return quartzCron{t: t}, nil
	}
	return nil, fmt.Errorf("cron expression %q has %d fields; want 5 (UNIX) or 6-7 (Quartz)", expr, len(fields))
}

type unixCron struct {
	expr string
	loc  *time.Location
}

func (c unixCron) Next(t time.Time) (time.Time, bool) {
	n, err := gronx.NextTickAfter(c.expr, t.In(c.loc), false)
	if err != nil {
		return time.Time{}, false
	}
	return n, true
}

type quartzCron struct{ t *quartz.CronTrigger }

func (c quartzCron) Next(t time.Time) (time.Time, bool) {
	n, err := c.t.NextFireTime(t.UnixNano())
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(0, n), true
}
