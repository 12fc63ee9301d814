package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	puntoshttp "github.com/puntos/puntos/internal/http"
)

// The floor (-floor): the same terminals, on the same connections, against a
// server that does nothing but net/http's part of a request — read and parse
// it, read its form, write a contact lookup's answer — with the loyalty
// server's timeouts, in a process of its own. What it reaches on a machine
// is the most any endpoint of ours could reach there with this generator: the
// lookups and sales of `make bench` are measured against it, to tell how
// much of a request's cost is HTTP on the shared cores and how much is ours.

// floorAnswer is about the size of a /wallet/contact/get answer.
const floorAnswer = `{"status":"success","code":"wallet_contact_get_ok","message":"","data":{"name":"Cliente 5500000001","phone":"5500000001","birthdate":null,"balance":"12.34"}}`

// serveFloor is the child process: it listens on a loopback port, prints the
// address on its first line and serves until killed.
func serveFloor() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(ln.Addr().String())
	// The loyalty server's limits, which cost net/http a deadline per request.
	return puntoshttp.NewHTTPServer("", floorHandler()).Serve(ln)
}

// floorHandler parses the form and answers a lookup of its phone.
func floorHandler() http.Handler {
	body := []byte(floorAnswer)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("phone") == "" {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		w.Header()["Content-Type"] = []string{"application/json; charset=utf-8"}
		_, _ = w.Write(body)
	})
}

// runFloor starts the floor server and plays conns terminals against it for
// d, each posting a contact lookup's form and waiting for the answer.
func runFloor(ctx context.Context, conns int, d time.Duration) error {
	child := exec.CommandContext(ctx, os.Args[0], "-floor-serve")
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		return err
	}
	if err := child.Start(); err != nil {
		return err
	}
	defer func() { _ = child.Process.Kill(); _ = child.Wait() }()
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return fmt.Errorf("floor server: %w", err)
	}
	addr = strings.TrimSpace(addr)

	hdr := renderHeader(formHeader("0123456789abcdef0123456789abcdef"))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := time.Now().Add(d)
	hists := make([]histogram, conns)
	errs := make([]error, conns)
	var wg sync.WaitGroup
	before := sampleCPU(child.Process.Pid)
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hc := newConn(ctx, addr, addr)
			form := fmt.Appendf(nil, "wallet_key=0123456789abcdef0123456789abcdef&phone=55%08d", i)
			for time.Now().Before(stop) {
				t0 := time.Now()
				status, _, err := hc.do("POST", "/wallet/contact/get", hdr, form)
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("HTTP %d", status)
				}
				if err != nil {
					errs[i] = err
					return
				}
				hists[i].record(time.Since(t0))
			}
		}()
	}
	wg.Wait()
	after := sampleCPU(child.Process.Pid)
	var h histogram
	for i := range hists {
		h.merge(&hists[i])
		if errs[i] != nil {
			return fmt.Errorf("floor: terminal %d: %w", i, errs[i])
		}
	}
	fmt.Printf("floor: %d terminals for %s against a do-nothing net/http server (form parsed, lookup-sized answer)\n", conns, d)
	rate := float64(h.n) / d.Seconds()
	fmt.Printf("floor: %.0f req/s, p50 %.1f ms, p99 %.1f ms\n", rate, ms(h.quantile(0.50)), ms(h.quantile(0.99)))
	if s, ok := split(before, after); ok {
		fmt.Println("floor:", strings.Replace(s.String(), "server", "floor server", 1))
		fmt.Println("floor:", strings.Replace(s.perRequest(rate), "server", "floor server", 1))
	}
	return nil
}
