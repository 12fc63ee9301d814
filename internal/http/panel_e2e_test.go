package http

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/puntos/puntos/internal/store"
)

// chromiumPath finds the browser the end-to-end test drives: CHROMIUM_BIN,
// else Debian's chromium on the PATH. No browser is a failure, never a skip.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("CHROMIUM_BIN"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("e2e: no Chromium found. Install Debian's chromium (apt-get install -y chromium; `make test` does it when run as root) or set CHROMIUM_BIN to a Chrome/Chromium binary.")
	return ""
}

// artefactDir is where screenshots go: $E2E_ARTEFACTS, else artefacts/e2e
// at the module root (git-ignored).
func artefactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("E2E_ARTEFACTS")
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, "artefacts", "e2e")
				break
			}
			if filepath.Dir(d) == d {
				dir = filepath.Join(wd, "artefacts")
				break
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// headless starts a fresh headless Chromium for one test.
func headless(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(412, 915), // a phone: the pages are mobile-first
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	return bctx
}

// shot saves a full-page PNG screenshot as a test artefact.
func shot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	start := time.Now()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("e2e %s: %v", what, err)
	}
	t.Logf("%s: %v", what, time.Since(start).Round(time.Millisecond))
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("e2e read %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// TestPanelInTheBrowser drives the panel, the customer page and the
// cashier page in headless Chromium: log in, create a wallet, add a
// contact through the apikey API, find it in the panel, open its customer
// page, sell on the cashier page and see the customer's balance change.
func TestPanelInTheBrowser(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// The links the panel hands out must reach this test server.
	b.server.cfg.PublicURL = b.http.URL
	m := newPanelMerchant(t, b, "Tienda E2E", testOwner, testPassword)
	dir := artefactDir(t)
	ctx := headless(t)
	base := b.http.URL

	// Log in; the first Tab reaches the skip link (keyboard use).
	run(t, ctx, "open login", chromedp.Navigate(base+"/panel/login"), chromedp.WaitVisible("#email"))
	shot(t, ctx, dir, "01-login")
	run(t, ctx, "tab", chromedp.KeyEvent("\t"))
	if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`)); err != nil || got != "skip" {
		t.Errorf("first Tab focused %q (%v), want the skip link", got, err)
	}
	run(t, ctx, "log in",
		chromedp.SendKeys("#email", testOwner), chromedp.SendKeys("#password", testPassword),
		chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`nav.menu`))
	shot(t, ctx, dir, "02-home")

	// Create a wallet with 10% cashback through the panel's form.
	run(t, ctx, "create wallet",
		chromedp.Navigate(base+"/panel/wallets"), chromedp.WaitVisible("#w-name"),
		chromedp.SendKeys("#w-name", "Monedero E2E"), chromedp.SetValue("#w-cashback", "10"),
		chromedp.Submit("#w-name"), chromedp.WaitVisible("#new-secret"))
	shot(t, ctx, dir, "03-wallet-created")
	walletKey := text(t, ctx, "dl dd code")
	w, err := b.store.Wallet(context.Background(), m, walletKey)
	if err != nil || w.CashbackPercent != 1000 {
		t.Fatalf("got wallet %+v, %v; want the panel's wallet with 10%%", w, err)
	}

	// A contact arrives through the apikey POS API.
	ctx0 := context.Background()
	_, apikey, err := b.store.CreateAPIKey(ctx0, m)
	if err != nil {
		t.Fatal(err)
	}
	cashier, err := b.store.CreateCollaborator(ctx0, m, store.CollaboratorInput{Name: "Caja Uno", Number: "5500000001",
		Branch: "Centro", Type: store.Cashier, PIN: "2468"})
	if err != nil {
		t.Fatal(err)
	}
	add := b.doForm("/wallet/contact/add", map[string]string{"apikey": apikey}, url.Values{"wallet_key": {walletKey},
		"phone": {"5587654321"}, "customer_name": {"Marta Ruiz"}, "usertool_id": {itoa(int(cashier.ID))}})
	if add.Status != http.StatusOK {
		t.Fatalf("contact add: got %d: %s", add.Status, add.Body)
	}

	// The panel lists it; its page shows the balance and the customer link.
	run(t, ctx, "contacts", chromedp.Navigate(base+"/panel/contacts"), chromedp.WaitVisible(`a[href^="/panel/contacts/"]`))
	if got := text(t, ctx, "tbody"); !strings.Contains(got, "Marta Ruiz") {
		t.Fatalf("the agenda reads %q, want Marta Ruiz", got)
	}
	shot(t, ctx, dir, "04-contacts")
	run(t, ctx, "contact", chromedp.Click(`a[href^="/panel/contacts/"]`), chromedp.WaitVisible(`[data-balance]`))
	shot(t, ctx, dir, "05-contact")
	link, err := chromedp.Run(ctx, chromedp.AttributeValue(`a[href*="/c/`+walletKey+`/"]`, "href"))
	if err != nil || !link.Exists {
		t.Fatalf("no customer link on the contact page: %v", err)
	}

	// The customer opens the link: balance 0.
	run(t, ctx, "customer page", chromedp.Navigate(link.Value), chromedp.WaitVisible(`[data-balance]`))
	if got := text(t, ctx, "[data-balance]"); got != "0.00" {
		t.Errorf("got balance %q before the sale, want 0.00", got)
	}
	shot(t, ctx, dir, "06-customer-before")

	// The cashier logs in on the wallet's cashier page and sells 250.00.
	run(t, ctx, "cashier login", chromedp.Navigate(base+"/r/"+walletKey), chromedp.WaitVisible("#pin"),
		chromedp.SendKeys("#pin", "2468"), chromedp.Submit("#pin"), chromedp.WaitVisible("#phone"))
	shot(t, ctx, dir, "07-cashier")
	run(t, ctx, "cashier sale", chromedp.SendKeys("#phone", "55 8765 4321"), chromedp.SendKeys("#amount", "250"),
		chromedp.Submit("#phone"), chromedp.WaitVisible(`[data-balance]`))
	if got := text(t, ctx, "[data-balance]"); got != "25.00" {
		t.Errorf("the cashier page shows %q after a sale of 250.00 at 10%%, want 25.00", got)
	}
	shot(t, ctx, dir, "08-cashier-sale")

	// The customer's page now shows 25.00.
	run(t, ctx, "customer page again", chromedp.Navigate(link.Value), chromedp.WaitVisible(`[data-balance]`))
	if got := text(t, ctx, "[data-balance]"); got != "25.00" {
		t.Errorf("got balance %q after a sale of 250.00 at 10%%, want 25.00", got)
	}
	shot(t, ctx, dir, "09-customer-after")

	// English is one click away and remembered.
	run(t, ctx, "english", chromedp.Click(`a[hreflang=en]`), chromedp.WaitVisible(`[data-balance]`))
	if got := text(t, ctx, "h2"); got != "Your balance" {
		t.Errorf("got heading %q, want Your balance", got)
	}
	shot(t, ctx, dir, "10-customer-english")
	t.Logf("screenshots in %s", dir)
}
