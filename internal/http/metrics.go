package http

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/puntos/puntos/internal/store"
)

// Metrics is the server's Prometheus registry and the instruments in it.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// expired counts the postings of the expiry job (one per expired batch account).
	expired prometheus.Counter
}

// NewMetrics registers the HTTP instruments, the Go runtime and the
// database pool statistics.
func NewMetrics(st *store.Store) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"method", "route"}),
		expired: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ledger_expired_postings_total", Help: "Postings of expired batch balances made by the expiry job.",
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.expired, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if st != nil {
		reg.MustRegister(newPoolCollector(st))
	}
	return m
}

func (m *Metrics) observeRequest(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, statusLabel(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(d.Seconds())
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}

// poolCollector reads pgxpool statistics at scrape time.
type poolCollector struct {
	st                              *store.Store
	total, idle, acquired, maxConns *prometheus.Desc
	acquireCount, waitCount         *prometheus.Desc
	wallet, card                    batchDescs
}

// batchDescs are the counters of one program kind's sale batches.
type batchDescs struct{ batches, batched, alone, failed *prometheus.Desc }

func newBatchDescs(kind, label string) batchDescs {
	d := func(name, help string) *prometheus.Desc { return prometheus.NewDesc(kind+"_"+name, help, nil, nil) }
	return batchDescs{
		batches: d("sale_batches_total", "Batches of "+label+" committed."),
		batched: d("sales_batched_total", "Sales written by batches ("+label+")."),
		alone:   d("sales_alone_total", "Sales run in a transaction of their own ("+label+")."),
		failed:  d("sale_batch_failures_total", "Batches that could not commit; their sales ran alone."),
	}
}

func (b batchDescs) list() []*prometheus.Desc {
	return []*prometheus.Desc{b.batches, b.batched, b.alone, b.failed}
}

func (b batchDescs) collect(ch chan<- prometheus.Metric, st store.SaleBatchStats) {
	ch <- prometheus.MustNewConstMetric(b.batches, prometheus.CounterValue, float64(st.Batches))
	ch <- prometheus.MustNewConstMetric(b.batched, prometheus.CounterValue, float64(st.Written))
	ch <- prometheus.MustNewConstMetric(b.alone, prometheus.CounterValue, float64(st.Alone))
	ch <- prometheus.MustNewConstMetric(b.failed, prometheus.CounterValue, float64(st.Failed))
}

func newPoolCollector(st *store.Store) *poolCollector {
	d := func(name, help string) *prometheus.Desc { return prometheus.NewDesc("db_pool_"+name, help, nil, nil) }
	return &poolCollector{st: st,
		total: d("conns", "Connections open."), idle: d("idle_conns", "Idle connections."),
		acquired: d("acquired_conns", "Connections in use."), maxConns: d("max_conns", "Pool size limit."),
		acquireCount: d("acquires_total", "Connections acquired."), waitCount: d("empty_acquires_total", "Acquires that had to wait."),
		wallet: newBatchDescs("wallet", "wallet sales"), card: newBatchDescs("card", "card stamps"),
	}
}

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	ds := []*prometheus.Desc{c.total, c.idle, c.acquired, c.maxConns, c.acquireCount, c.waitCount}
	for _, d := range append(append(ds, c.wallet.list()...), c.card.list()...) {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.st.Pool().Stat()
	ch <- prometheus.MustNewConstMetric(c.total, prometheus.GaugeValue, float64(s.TotalConns()))
	ch <- prometheus.MustNewConstMetric(c.idle, prometheus.GaugeValue, float64(s.IdleConns()))
	ch <- prometheus.MustNewConstMetric(c.acquired, prometheus.GaugeValue, float64(s.AcquiredConns()))
	ch <- prometheus.MustNewConstMetric(c.maxConns, prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(c.acquireCount, prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(c.waitCount, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	c.wallet.collect(ch, c.st.WalletBatchStats())
	c.card.collect(ch, c.st.CardBatchStats())
}
