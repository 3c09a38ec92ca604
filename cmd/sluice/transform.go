package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"sluice.io/sluice"
	"sluice.io/sluice/conformance/xformvec"
	"sluice.io/sluice/rules"
)

// transformOptions configure `sluice transform`.
type transformOptions struct {
	envelope bool
	topic    string
}

func runTransform(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("transform", stderr)
	var o transformOptions
	fs.BoolVar(&o.envelope, "envelope", false, "each input line is a record in vector RECORD JSON form instead of a raw string value")
	fs.StringVar(&o.topic, "topic", "", "topic of raw input records (default: the connector's 'topic' property, else \"sluice\")")
	if st := parseFlags(fs, args); st >= 0 {
		return st
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	props, err := loadProps(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "sluice: %v\n", err)
		return 1
	}
	failed, err := transformStream(props, o, stdin, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "sluice: %v\n", err)
		return 1
	}
	if failed > 0 {
		return 1
	}
	return 0
}

// transformStream builds the chain from props and runs every input line
// through it. Records go to stdout as vector RECORD JSON lines; drops and
// per-record errors go to stderr with their line number, and processing
// continues. It returns how many lines failed.
func transformStream(props map[string]string, o transformOptions, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	chain, err := rules.BuildChain(props, rules.ChainOptions{})
	if err != nil {
		return 0, err
	}
	defer chain.Close()
	codec, err := xformvec.NewCodec(nil)
	if err != nil {
		return 0, err
	}
	topic := o.topic
	if topic == "" {
		topic = props["topic"]
	}
	if topic == "" {
		topic = "sluice"
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	in := bufio.NewReader(stdin)
	failed := 0
	report := func(n int, stage string, err error) {
		failed++
		fmt.Fprintf(stderr, "line %d: %s error: %v\n", n, stage, err)
	}
	for n := 1; ; n++ {
		line, rerr := in.ReadBytes('\n')
		if len(line) == 0 && rerr != nil {
			if rerr == io.EOF {
				break
			}
			return failed, fmt.Errorf("reading input: %w", rerr)
		}
		line = bytes.TrimRight(line, "\r\n")
		var rec *sluice.Record
		if o.envelope {
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			var rj xformvec.RecordJSON
			if err := json.Unmarshal(line, &rj); err != nil {
				report(n, "decode", fmt.Errorf("not a record: %w", err))
				continue
			}
			if rec, err = codec.Decode(&rj); err != nil {
				report(n, "decode", err)
				continue
			}
		} else {
			rec = &sluice.Record{Topic: topic, ValueSchema: sluice.StringSchema, Value: string(line)}
		}
		res, stage, err := chain.ApplyDetail(rec)
		if err != nil {
			report(n, rules.StageApply, err)
			continue
		}
		if res == nil {
			st := chain.Stages()[stage]
			fmt.Fprintf(stderr, "line %d: dropped by transformation %q (%s)\n", n, st.Alias, st.Class)
			continue
		}
		rj, err := codec.Encode(res)
		if err != nil {
			var ce *xformvec.CodecError
			if errors.As(err, &ce) {
				report(n, ce.Stage, err)
			} else {
				report(n, "encode", err)
			}
			continue
		}
		if err := enc.Encode(rj); err != nil {
			return failed, fmt.Errorf("writing output: %w", err)
		}
	}
	return failed, nil
}
