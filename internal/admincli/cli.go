// Package admincli is "server admin ...": provisioning for an operator
// without HTTP, over the same store functions the admin API calls. Every
// command prints JSON on stdout (secrets appear only in the output of the
// command that created them) and returns an error that names what to fix.
package admincli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/puntos/puntos/internal/store"
)

// UsageError is a command line the CLI does not understand; callers exit 2.
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// Env is what the commands work with.
type Env struct {
	Store     *store.Store
	PublicURL string // base of the card and wallet page links, and of the demo's curl lines
	Stdout    io.Writer
	Stderr    io.Writer
}

// command is one "admin <noun> <verb>" with its flags.
type command struct {
	summary string
	flags   func(fs *flag.FlagSet) func(ctx context.Context, env Env) (any, error)
}

// commands maps "noun verb" (or "demo") to its command.
var commands = map[string]command{
	"merchant create":         {"create a merchant", merchantCreate},
	"merchant list":           {"list every merchant with its settings", merchantList},
	"merchant show":           {"show one merchant with its settings, programs and staff", merchantShow},
	"apikey create":           {"issue an apikey for the POS API (shown once)", apikeyCreate},
	"oauth-client create":     {"register an OAuth2 client for the JSON API (secret shown once)", oauthClientCreate},
	"thirdparty-token create": {"issue a token for the third-party shops API (shown once)", thirdpartyTokenCreate},
	"card create":             {"create a stamp card (webhook secret shown once)", cardCreate},
	"wallet create":           {"create a cashback wallet (webhook secret shown once)", walletCreate},
	"collaborator create":     {"create a cashier or manager with a till PIN", collaboratorCreate},
	"demo":                    {"create a ready-to-try demo merchant and print its credentials and curl lines", demo},
}

// Usage is the help of "server admin".
func Usage() string {
	var b strings.Builder
	b.WriteString("Usage: server admin <command> [flags]   (output is JSON; add --help to any command)\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  %-24s %s\n", n, commands[n].summary)
	}
	return b.String()
}

// NeedsStore reports whether the command line would touch the database, so
// that help and unknown commands answer without one.
func NeedsStore(args []string) bool {
	if len(args) == 0 || isHelp(args[0]) {
		return false
	}
	if _, _, err := lookup(args); err != nil {
		return false
	}
	for _, a := range args {
		if isHelp(a) {
			return false
		}
	}
	return true
}

func lookup(args []string) (string, []string, error) {
	name, rest := args[0], args[1:]
	if _, ok := commands[name]; !ok && len(args) > 1 {
		name, rest = args[0]+" "+args[1], args[2:]
	}
	if _, ok := commands[name]; !ok {
		return "", nil, UsageError{fmt.Sprintf("unknown command %q\n\n%s", strings.Join(args, " "), Usage())}
	}
	return name, rest, nil
}

// Run executes one admin command line (the words after "admin").
func Run(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || isHelp(args[0]) {
		fmt.Fprint(env.Stdout, Usage())
		return nil
	}
	name, rest, err := lookup(args)
	if err != nil {
		return err
	}
	cmd := commands[name]
	fs := flag.NewFlagSet("server admin "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	exec := cmd.flags(fs)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(env.Stdout, commandHelp(name, cmd, fs))
			return nil
		}
		return UsageError{fmt.Sprintf("%v\n\n%s", err, commandHelp(name, cmd, fs))}
	}
	if fs.NArg() > 0 {
		return UsageError{fmt.Sprintf("unexpected argument %q\n\n%s", fs.Arg(0), commandHelp(name, cmd, fs))}
	}
	out, err := exec(ctx, env)
	if errors.Is(err, errPrinted) {
		return nil
	}
	if err != nil {
		return explain(err)
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func isHelp(s string) bool { return s == "-h" || s == "--help" || s == "help" || s == "-help" }

func commandHelp(name string, cmd command, fs *flag.FlagSet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: server admin %s [flags]\n\n%s.\n\nFlags:\n", name, strings.ToUpper(cmd.summary[:1])+cmd.summary[1:])
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return b.String()
}

// explain turns store errors into messages that name the flag to fix.
func explain(err error) error {
	var fe *store.FieldError
	var me *store.MissingError
	switch {
	case errors.As(err, &fe):
		name, ok := flagOfField[fe.Field]
		if !ok {
			name = strings.ReplaceAll(fe.Field, "_", "-")
		}
		return fmt.Errorf("--%s: %s", name, fe.Message)
	case errors.As(err, &me):
		return err
	case errors.Is(err, store.ErrDuplicateName), errors.Is(err, store.ErrDuplicatePIN):
		return err
	case errors.Is(err, store.ErrNotFound):
		return errors.New("not found (check --merchant)")
	}
	return err
}

// flagOfField names the flag behind a store field where the two differ.
var flagOfField = map[string]string{"stamps_required": "stamps", "cashback_percent": "cashback", "points_ttl_days": "ttl-days"}

// requireMerchant is the --merchant flag every command under a merchant takes.
func requireMerchant(fs *flag.FlagSet) *int64 {
	return fs.Int64("merchant", 0, "the merchant's id (required)")
}

func checkMerchant(id int64) error {
	if id <= 0 {
		return UsageError{"--merchant is required (a merchant id; see: server admin merchant list)"}
	}
	return nil
}

func requireString(flagName, v string) error {
	if strings.TrimSpace(v) == "" {
		return UsageError{"--" + flagName + " is required"}
	}
	return nil
}

// errPrinted tells Run that the command wrote its own (text) output.
var errPrinted = errors.New("printed")
