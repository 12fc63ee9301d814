// Command loadgen plays a fleet of POS terminals against the loyalty server
// and reports throughput, latency and errors per kind of operation, then
// checks that the ledger still balances. `make bench` and `make soak` run it.
//
// Without -url (or BENCH_URL) it starts the server binary itself on the
// Postgres in DATABASE_URL (devdb provides one), so that it can read the
// server's peak memory, take a CPU profile and run the shared pg reference
// on the same database cluster.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/jackc/pgx/v5"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type options struct {
	url, server, outDir, reference, jsonPath, phases, mix, logLevel, grow string
	profilePhase                                                          string
	conns, contacts, enrolWorkers, dbConns, refSecs, refClients           int
	duration, interval                                                    time.Duration
	rate                                                                  float64
	profile, webhooks                                                     bool
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", os.Getenv("BENCH_URL"), "server to load (default $BENCH_URL); empty: start -server on $DATABASE_URL")
	flag.StringVar(&o.server, "server", "bin/server", "server binary to start when no -url is given")
	flag.StringVar(&o.outDir, "out", ".data/bench", "folder for the server log, the CPU profile and results")
	flag.StringVar(&o.reference, "reference", "../shared/bench/pg-reference.sh", "pg reference script (empty: skip)")
	flag.StringVar(&o.jsonPath, "json", "", "also write the results as JSON to this file")
	flag.StringVar(&o.phases, "phases", "mix,sales,reads", "phases to run in order: mix, sales, reads (presets of -mix)")
	flag.StringVar(&o.mix, "mix", "", "weights of the mix phase, e.g. wallet_earn=30,wallet_spend=10,card_stamp=10,contact_get=20,balance_read=10,api_tx=10,history=10")
	flag.StringVar(&o.grow, "grow", "", "after the phases, fill the ledger to each of these sizes (postings, e.g. 1e5,1e7) and time history and reports at each; needs DATABASE_URL")
	flag.StringVar(&o.logLevel, "log-level", "warn", "LOG_LEVEL of the server it starts")
	flag.IntVar(&o.conns, "conns", 256, "concurrent terminals, one keep-alive connection each")
	flag.IntVar(&o.contacts, "contacts", 10000, "contacts to enrol and spread the load over")
	flag.IntVar(&o.enrolWorkers, "enrol-workers", 64, "concurrent requests while enrolling contacts")
	flag.IntVar(&o.dbConns, "db-conns", 48, "DB_MAX_CONNS of the server it starts")
	flag.IntVar(&o.refSecs, "reference-secs", 20, "seconds of each pgbench run of the reference")
	flag.IntVar(&o.refClients, "reference-clients", 32, "pgbench clients of the per-request reference")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "length of each phase")
	flag.DurationVar(&o.interval, "interval", 10*time.Second, "print throughput every interval during a phase (0: off)")
	flag.Float64Var(&o.rate, "rate", 0, "requests/s the terminals offer together, each on a fixed schedule, latency counted from when each was due (0: each terminal sends as soon as it is answered)")
	flag.BoolVar(&o.profile, "profile", os.Getenv("PROFILE") == "1", "take a CPU profile of the server during one phase (default $PROFILE=1)")
	flag.StringVar(&o.profilePhase, "profile-phase", "sales", "the phase -profile covers")
	flag.BoolVar(&o.webhooks, "webhooks", false, "give the card and wallet a webhook URL served by the generator, so every sale also exercises the outbox")
	crash := flag.Bool("crash", false, "run the crash test instead of the benchmark (its own durable Postgres; see crash.go)")
	floor := flag.Bool("floor", false, "measure the floor instead: -conns terminals for -duration against a do-nothing net/http server (floor.go)")
	floorServe := flag.Bool("floor-serve", false, "serve the floor (the child process -floor starts)")
	flag.Parse()
	if *floorServe {
		if err := serveFloor(); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: floor server:", err)
			os.Exit(1)
		}
		return
	}
	if *floor {
		if err := runFloor(context.Background(), o.conns, o.duration); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	}
	if *crash {
		co := crashOptions{server: o.server, outDir: o.outDir, conns: o.conns, contacts: o.contacts, load: o.duration}
		if err := runCrash(context.Background(), co); err != nil {
			fmt.Fprintln(os.Stderr, "crash test FAILED:", err)
			os.Exit(1)
		}
		fmt.Println("crash test passed")
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ok, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
	if !ok {
		os.Exit(1)
	}
}

// results is the JSON form of a whole run.
type results struct {
	Started     time.Time     `json:"started"`
	Contacts    int           `json:"contacts"`
	Phases      []phaseReport `json:"phases"`
	LedgerCheck any           `json:"ledger_check"`
	PeakRSSKiB  int64         `json:"server_peak_rss_kib,omitempty"`
	Reference   *reference    `json:"reference,omitempty"`
	Ratio       float64       `json:"wallet_sales_over_reference_per_request,omitempty"`
	OutboxLeft  float64       `json:"outbox_backlog_at_end"`
	Growth      []growthRow   `json:"growth,omitempty"`
}

func run(ctx context.Context, o options) (bool, error) {
	if err := os.MkdirAll(o.outDir, 0o755); err != nil {
		return false, err
	}
	res := results{Started: time.Now().UTC(), Contacts: o.contacts}
	base, adminTok := o.url, os.Getenv("ADMIN_TOKEN")
	var srv *serverProc
	if base == "" {
		if os.Getenv("DATABASE_URL") == "" {
			return false, fmt.Errorf("no -url/BENCH_URL and no DATABASE_URL: run through `make bench` (devdb provides Postgres)")
		}
		warmWAL(ctx)
		var err error
		srv, err = startServer(ctx, o.server, filepath.Join(o.outDir, "server.log"), o.dbConns, o.profile,
			[]string{"LOG_LEVEL=" + o.logLevel, "RATE_LIMIT=0"})
		if err != nil {
			return false, err
		}
		defer func() {
			if srv != nil {
				_ = srv.stop()
			}
		}()
		base, adminTok = srv.URL, srv.AdminTok
		fmt.Printf("server %s started (pid %d, DB_MAX_CONNS=%d, GOMAXPROCS default), log %s\n", base, srv.cmd.Process.Pid, o.dbConns, filepath.Join(o.outDir, "server.log"))
	}
	c := newClient(base, o.conns, adminTok)

	hookURL := ""
	if o.webhooks {
		h, err := startHookSink()
		if err != nil {
			return false, err
		}
		defer h.Close()
		hookURL = h.URL
	}
	t0 := time.Now()
	f, err := provision(ctx, c, hookURL)
	if err != nil {
		return false, fmt.Errorf("provisioning: %w", err)
	}
	if err := enrol(ctx, c, f, o.contacts, o.enrolWorkers); err != nil {
		return false, err
	}
	fmt.Printf("merchant %s provisioned, %d contacts enrolled (wallet, card, first earn, OAuth customer) in %s\n",
		f.MerchantID, o.contacts, time.Since(t0).Round(time.Millisecond))
	analyze(ctx)

	runID := randomHex(4)
	var profPath string
	for _, ph := range strings.Split(o.phases, ",") {
		ph = strings.TrimSpace(ph)
		if ph == "" {
			continue
		}
		mix := ph
		if ph == "mix" && o.mix != "" {
			mix = o.mix
		}
		profDone := make(chan error, 1)
		if srv != nil && o.profile && ph == o.profilePhase {
			profPath = filepath.Join(o.outDir, "cpu.pprof")
			pd := o.duration - 2*time.Second
			if pd < time.Second {
				pd = time.Second
			}
			go func() {
				time.Sleep(time.Second) // skip the ramp-up
				profDone <- cpuProfile(ctx, srv.DebugURL, pd, profPath)
			}()
		} else {
			profDone <- nil
		}
		fmt.Printf("phase %s: %d terminals for %s ...\n", ph, o.conns, o.duration)
		before := scrapeMetrics(ctx, c)
		serverPID := 0
		if srv != nil {
			serverPID = srv.cmd.Process.Pid
		}
		cpu0 := sampleCPU(serverPID)
		pr, err := runPhase(ctx, c, f, ph, mix, o.conns, o.duration, o.interval, o.rate, runID)
		if err != nil {
			return false, err
		}
		cpu, cpuOK := split(cpu0, sampleCPU(serverPID))
		batches := batchStats(before, scrapeMetrics(ctx, c))
		if err := <-profDone; err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: profile:", err)
			profPath = ""
		}
		rep := summarize(pr, o.conns)
		if cpuOK {
			rep.CPU = &cpu
		}
		printPhase(os.Stdout, rep)
		if batches != "" {
			fmt.Println(batches)
		}
		res.Phases = append(res.Phases, rep)
	}

	allOK := true
	if o.grow != "" {
		rows, err := growth(ctx, c, f, o.grow)
		res.Growth = rows
		if err != nil {
			fmt.Println("growth:", err)
			allOK = false
		}
	}
	var drain time.Duration
	res.OutboxLeft, drain = waitOutbox(ctx, c, 60*time.Second)
	fmt.Printf("\noutbox backlog at the end: %.0f (waited %s for it to drain)\n", res.OutboxLeft, drain.Round(time.Second))
	if res.OutboxLeft > 0 {
		allOK = false
	}

	if check, how, err := ledgerCheck(ctx, c, f.MerchantID); err != nil {
		fmt.Println("ledger check: FAILED:", err)
		allOK = false
	} else {
		b, _ := json.Marshal(check)
		fmt.Printf("ledger check (%s): %s\n", how, clip(b))
		if check["ok"] != true {
			allOK = false
		}
		res.LedgerCheck = check
	}
	for _, p := range res.Phases {
		if p.UnexpectedErrs > 0 {
			fmt.Printf("phase %s: %d unexpected errors\n", p.Phase, p.UnexpectedErrs)
			allOK = false
		}
	}

	if srv != nil {
		if kib, err := srv.peakRSS(); err == nil {
			res.PeakRSSKiB = kib
			fmt.Printf("server peak RSS (VmHWM): %.1f MiB\n", float64(kib)/1024)
		}
		if err := srv.stop(); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: stopping server:", err)
		}
		srv = nil
	} else {
		fmt.Println("server peak RSS: not measured (BENCH_URL: the server is not ours)")
	}

	if profPath != "" {
		fmt.Printf("\nCPU profile of the server during the %s phase: %s (go tool pprof %s %s)\n", o.profilePhase, profPath, o.server, profPath)
		out, err := exec.Command("go", "tool", "pprof", "-top", "-nodecount=25", o.server, profPath).CombinedOutput()
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: pprof:", err)
		}
		fmt.Print(string(out))
		out, _ = exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=25", o.server, profPath).CombinedOutput()
		fmt.Println("\ncumulative:")
		fmt.Print(string(out))
	}

	if o.reference != "" && os.Getenv("DATABASE_URL") != "" {
		fmt.Printf("\nreference: %s on the same Postgres (%ds per run) ...\n", o.reference, o.refSecs)
		ref, err := runReference(o.reference, os.Getenv("DATABASE_URL"), o.refSecs, o.refClients)
		if err != nil {
			fmt.Fprintln(os.Stderr, "loadgen: reference:", err)
		} else {
			res.Reference = ref
			fmt.Print(ref.Output)
			for _, p := range res.Phases {
				fmt.Printf("phase %-5s wallet sales/s %6.0f = %.2f x reference per-request, %.2f x reference batched\n",
					p.Phase, p.WalletSalesPS, p.WalletSalesPS/ref.PerRequest, p.WalletSalesPS/ref.Batched)
				if p.Phase == "sales" {
					res.Ratio = p.WalletSalesPS / ref.PerRequest
				}
			}
		}
	}

	if o.jsonPath != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		if err := os.WriteFile(o.jsonPath, b, 0o644); err != nil {
			return false, err
		}
	}
	if allOK {
		fmt.Println("\nRESULT: ok (no unexpected errors, ledger check ok)")
	} else {
		fmt.Println("\nRESULT: FAILED")
	}
	return allOK, nil
}

// analyze gives Postgres statistics of the enrolled data before the phases,
// when the generator can reach the database. A database created moments
// ago has none, and plans made then (foreign key checks among them) scan
// tables that have since grown, until autovacuum's first pass, up to a
// minute later (autovacuum_naptime): the phases measure the steady state,
// not that first minute.
func analyze(ctx context.Context) {
	conn := connectDB(ctx, "analyze")
	if conn == nil {
		return
	}
	defer conn.Close(context.Background())
	t0 := time.Now()
	if _, err := conn.Exec(ctx, "ANALYZE"); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen: analyze:", err)
		return
	}
	fmt.Printf("ANALYZE of the enrolled data (what autovacuum does within its first minute) in %s\n", time.Since(t0).Round(time.Millisecond))
}

// connectDB connects to DATABASE_URL for a step the generator takes on the
// database when it can reach it; nil (and a line saying why) when it cannot.
func connectDB(ctx context.Context, step string) *pgx.Conn {
	url := os.Getenv("DATABASE_URL")
	if url == "" {
		return nil
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %s: %v\n", step, err)
		return nil
	}
	return conn
}
