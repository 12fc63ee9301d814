package main

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
)

// reference is what pg-reference.sh measured on the same Postgres.
type reference struct {
	PerRequest float64 `json:"per_request_sales_per_s"`
	Batched    float64 `json:"batched_sales_per_s"`
	Output     string  `json:"-"`
}

var (
	perRe = regexp.MustCompile(`reference per-request sales/s \(c=\d+\): ([0-9.]+)`)
	batRe = regexp.MustCompile(`reference batched sales/s[^:]*: ([0-9.]+)`)
)

// runReference runs the shared reference script against the cluster that
// holds databaseURL (it creates its own database beside ours, so it is given
// the cluster's postgres database).
func runReference(script, databaseURL string, secs, clients int) (*reference, error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return nil, err
	}
	u.Path = "/postgres"
	cmd := exec.Command("bash", script, u.String(), strconv.Itoa(secs), strconv.Itoa(clients))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w\n%s", script, err, out.String())
	}
	r := &reference{Output: out.String()}
	if m := perRe.FindStringSubmatch(r.Output); m != nil {
		r.PerRequest, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := batRe.FindStringSubmatch(r.Output); m != nil {
		r.Batched, _ = strconv.ParseFloat(m[1], 64)
	}
	if r.PerRequest == 0 {
		return r, fmt.Errorf("%s printed no per-request figure:\n%s", script, r.Output)
	}
	return r, nil
}
