package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"sluice.io/sluice/broker"
	"sluice.io/sluice/worker"
)

const standaloneUsage = "ConnectStandalone worker.properties [connector1.properties connector2.json ...]"

// runStandalone is `connect-standalone.sh`: it runs source connectors with
// a standalone worker until SIGINT or SIGTERM, then drains in-flight
// records, flushes offsets and exits 0. Exit codes follow Connect: 1 for
// usage, 2 when the worker cannot start, 3 when a connector cannot be
// created. A second signal exits at once with 130.
func runStandalone(args []string, _ io.Reader, _, stderr io.Writer) int {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if len(args) == 0 || contains(args, "--help") {
		logger.Info("Usage: " + standaloneUsage)
		return 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; !ok {
			return
		}
		logger.Info("signal received: stopping (send another to exit at once)")
		cancel()
		if _, ok := <-sigs; ok {
			os.Exit(130)
		}
	}()
	return standaloneExit(worker.RunStandalone(ctx, args[0], args[1:], worker.Options{
		Logger:      logger,
		StartBroker: startEmbeddedBroker,
	}), logger)
}

// standaloneExit maps a standalone run's outcome to Connect's exit codes.
func standaloneExit(err error, logger *slog.Logger) int {
	var se *worker.StartupError
	var ce *worker.ConnectorError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &se):
		logger.Error(err.Error())
		return 2
	case errors.As(err, &ce):
		logger.Error(err.Error())
		return 3
	default:
		logger.Error(fmt.Sprintf("Failed to start Connect: %v", err))
		return 3
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// startEmbeddedBroker starts the embedded Kafka broker a worker file asks
// for when it has no bootstrap.servers.
func startEmbeddedBroker(ctx context.Context, eb worker.EmbeddedBroker, l *slog.Logger) (worker.Broker, error) {
	return broker.Start(ctx, eb.Addr, l, broker.WithDataDir(eb.DataDir))
}
