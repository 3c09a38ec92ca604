package dlq

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"sluice.io/sluice"
	"sluice.io/sluice/rules"
)

func TestParseConfig(t *testing.T) {
	c, err := ParseConfig(map[string]string{"errors.tolerance": "all", "errors.retry.timeout": "-1",
		"errors.deadletterqueue.topic.name": "  dlq ", "errors.deadletterqueue.context.headers.enable": "true"}, sluice.Plugins)
	if err != nil {
		t.Fatal(err)
	}
	if !c.TolerateAll || c.RetryTimeout != -1 || c.Topic != "dlq" || !c.ContextHeaders || c.ReplicationFactor != 3 || c.RetryMaxDelay != time.Minute {
		t.Fatalf("%+v", c)
	}
	if _, err := ParseConfig(map[string]string{"errors.tolerance": "ALL"}, sluice.Plugins); err == nil ||
		!strings.Contains(err.Error(), "errors.tolerance") {
		t.Fatalf("ALL accepted: %v", err)
	}
}

func TestRetry(t *testing.T) {
	h := NewHandler(Config{RetryTimeout: 2 * time.Second, RetryMaxDelay: time.Second}, "c", 0, nil, nil)
	calls := 0
	op := func() error {
		calls++
		if calls < 3 {
			return &sluice.RetriableError{Err: errors.New("later")}
		}
		return nil
	}
	start := time.Now()
	if err := h.Retry(context.Background(), op(), op); err != nil || calls != 3 {
		t.Fatalf("err %v after %d calls", err, calls)
	}
	// 300 ms then 600 ms of backoff.
	if d := time.Since(start); d < 850*time.Millisecond || d > 1500*time.Millisecond {
		t.Fatalf("retried in %v", d)
	}
	// A non-retriable error and a zero timeout are returned at once.
	nr := errors.New("fatal")
	if err := h.Retry(context.Background(), nr, func() error { t.Fatal("called"); return nil }); err != nr {
		t.Fatal(err)
	}
	h0 := NewHandler(Config{}, "c", 0, nil, nil)
	re := &sluice.RetriableError{Err: errors.New("x")}
	if err := h0.Retry(context.Background(), re, func() error { t.Fatal("called"); return nil }); err != re {
		t.Fatal(err)
	}
	// The deadline bounds the retries.
	h1 := NewHandler(Config{RetryTimeout: 400 * time.Millisecond, RetryMaxDelay: time.Minute}, "c", 0, nil, nil)
	start = time.Now()
	if err := h1.Retry(context.Background(), re, func() error { return re }); err != re {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("retried for %v past a 400 ms timeout", d)
	}
}

func TestFailTolerance(t *testing.T) {
	f := &Failure{Stage: StageValueConverter, Class: "org.apache.kafka.connect.json.JsonConverter", Err: sluice.NewDataError("bad")}
	called := false
	if err := NewHandler(Config{TolerateAll: true}, "c", 1, nil, nil).Fail(f, func(bool) { called = true }); err != nil || !called {
		t.Fatalf("tolerated: %v %v", err, called)
	}
	err := NewHandler(Config{}, "c", 1, nil, nil).Fail(f, nil)
	var te *ToleranceError
	if !errors.As(err, &te) || te.Stage != StageValueConverter || !strings.Contains(err.Error(), "Tolerance exceeded in error handler") {
		t.Fatalf("none: %v", err)
	}
	// Poll failures are never tolerated.
	if err := NewHandler(Config{TolerateAll: true}, "c", 1, nil, nil).Fail(&Failure{Stage: StageTaskPoll, Err: errors.New("x")}, nil); err == nil {
		t.Fatal("poll failure tolerated")
	}
}

func TestContextHeaders(t *testing.T) {
	rec := &sluice.Record{Topic: "t", Partition: 2, HasPartition: true}
	cause := &rules.ChainError{Stage: rules.StageApply, Alias: "cast", Class: "org.apache.kafka.connect.transforms.Cast$Value",
		Err: sluice.NewDataError("Cast failed")}
	hs := ContextHeaders(&Failure{Stage: StageTransformation, Class: "org.apache.kafka.connect.transforms.Cast$Value", Err: cause, Record: rec}, "conn", 3)
	var got []string
	for _, h := range hs {
		got = append(got, h.Key+"="+string(h.Value))
	}
	want := []string{
		"__connect.errors.topic=t", "__connect.errors.partition=2", "__connect.errors.connector.name=conn",
		"__connect.errors.task.id=3", "__connect.errors.stage=TRANSFORMATION",
		"__connect.errors.class.name=org.apache.kafka.connect.transforms.Cast$Value",
		"__connect.errors.exception.class.name=org.apache.kafka.connect.errors.DataException",
		"__connect.errors.exception.message=Cast failed",
		"__connect.errors.exception.stacktrace=org.apache.kafka.connect.errors.DataException: Cast failed\n",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("headers\n%q\nwant\n%q", got, want)
	}
	for _, c := range []struct {
		err   error
		class string
	}{
		{sluice.NewJavaError("NullPointerException", "npe"), "java.lang.NullPointerException"},
		{errors.New("plain"), "org.apache.kafka.connect.errors.ConnectException"},
		{sluice.NewConfigError("cfg"), "org.apache.kafka.common.config.ConfigException"},
	} {
		if class, _, _ := Exception(c.err); class != c.class {
			t.Errorf("Exception(%v) = %s, want %s", c.err, class, c.class)
		}
	}
}
