package broker

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/twmb/franz-go/pkg/kfake"
)

// slogAdapter forwards kfake's printf-style logs to slog. kfake's "info"
// level describes individual requests and group chatter, so it is logged at
// slog's debug level; warnings and errors keep their level.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Logf(level kfake.LogLevel, format string, args ...any) {
	var lv slog.Level
	switch level {
	case kfake.LogLevelNone:
		return
	case kfake.LogLevelError:
		lv = slog.LevelError
	case kfake.LogLevelWarn:
		lv = slog.LevelWarn
	default:
		lv = slog.LevelDebug
	}
	ctx := context.Background()
	if !a.l.Enabled(ctx, lv) {
		return
	}
	a.l.Log(ctx, lv, fmt.Sprintf(format, args...), "component", "broker")
}
