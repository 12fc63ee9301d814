package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// kindReport is one row of the results table, also written as JSON.
type kindReport struct {
	Kind       string  `json:"kind"`
	Requests   uint64  `json:"requests"`
	ReqPerSec  float64 `json:"req_per_s"`
	SalesPerS  float64 `json:"sales_per_s"`
	Expected   uint64  `json:"expected_refusals"`
	Errors     uint64  `json:"unexpected_errors"`
	P50ms      float64 `json:"p50_ms"`
	P95ms      float64 `json:"p95_ms"`
	P99ms      float64 `json:"p99_ms"`
	MaxMs      float64 `json:"max_ms"`
	FirstError string  `json:"first_error,omitempty"`
}

// phaseReport is one phase's table plus the figures the targets talk about.
type phaseReport struct {
	Phase          string       `json:"phase"`
	Seconds        float64      `json:"seconds"`
	Conns          int          `json:"connections"`
	Offered        float64      `json:"offered_req_per_s,omitempty"`
	Kinds          []kindReport `json:"kinds"`
	Total          kindReport   `json:"total"`
	WalletSalesPS  float64      `json:"wallet_sales_per_s"`
	WalletP99ms    float64      `json:"wallet_sale_p99_ms"`
	ReadsPS        float64      `json:"lookups_per_s"`
	UnexpectedErrs uint64       `json:"unexpected_errors"`
	CPU            *cpuSplit    `json:"cpu,omitempty"`
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func summarize(p *phaseResult, conns int) phaseReport {
	secs := p.Elapsed.Seconds()
	r := phaseReport{Phase: p.Name, Seconds: secs, Conns: conns, Offered: p.Rate}
	var all, wallet histogram
	row := func(name string, s *kindStats) kindReport {
		return kindReport{Kind: name, Requests: s.n, ReqPerSec: float64(s.n) / secs, SalesPerS: float64(s.sales) / secs,
			Expected: s.expected, Errors: s.failures, P50ms: ms(s.lat.quantile(.50)), P95ms: ms(s.lat.quantile(.95)),
			P99ms: ms(s.lat.quantile(.99)), MaxMs: float64(s.lat.max) / 1000, FirstError: s.sample}
	}
	var tot kindStats
	for i, k := range kinds {
		s := &p.Kinds[i]
		if s.n == 0 {
			continue
		}
		r.Kinds = append(r.Kinds, row(k.name, s))
		all.merge(&s.lat)
		tot.n += s.n
		tot.sales += s.sales
		tot.expected += s.expected
		tot.failures += s.failures
		switch k.name {
		case "wallet_earn", "wallet_spend":
			r.WalletSalesPS += float64(s.sales) / secs
			wallet.merge(&s.lat)
		case "contact_get", "balance_read":
			r.ReadsPS += float64(s.n-s.failures) / secs
		}
	}
	tot.lat = all
	r.Total = row("TOTAL", &tot)
	r.WalletP99ms = ms(wallet.quantile(.99))
	r.UnexpectedErrs = tot.failures
	return r
}

func printPhase(w io.Writer, r phaseReport) {
	fmt.Fprintf(w, "\nphase %s: %.1fs, %d connections", r.Phase, r.Seconds, r.Conns)
	if r.Offered > 0 {
		fmt.Fprintf(w, ", %.0f requests/s offered (latency from when each was due)", r.Offered)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kind\trequests\treq/s\tsales/s\texpected\terrors\tp50 ms\tp95 ms\tp99 ms\tmax ms\t")
	for _, k := range append(r.Kinds, r.Total) {
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.0f\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.0f\t\n", k.Kind, k.Requests, k.ReqPerSec, k.SalesPerS,
			k.Expected, k.Errors, k.P50ms, k.P95ms, k.P99ms, k.MaxMs)
	}
	tw.Flush()
	fmt.Fprintf(w, "wallet sales/s %.0f (p99 %.1f ms); contact lookups + balance reads/s %.0f\n", r.WalletSalesPS, r.WalletP99ms, r.ReadsPS)
	if r.CPU != nil {
		fmt.Fprintln(w, r.CPU)
		if line := r.CPU.perRequest(r.Total.ReqPerSec); line != "" {
			fmt.Fprintln(w, line)
		}
	}
	for _, k := range r.Kinds {
		if k.FirstError != "" {
			fmt.Fprintf(w, "  first unexpected %s: %s\n", k.Kind, strings.ReplaceAll(k.FirstError, "\n", " "))
		}
	}
}
