package jd

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"station/internal/app"
	"station/internal/cli"
	"station/jos/jostest"
	"station/jos/jostest/sample"
	"station/jos/jostest/shop"
	"station/products"
)

func init() {
	cli.Register("sim", cli.Command{
		Summary: "serve the built-in JOS simulator (demo orders, real signatures, optional faults)\n" +
			"It speaks JD's order-service protocol on -addr, so that the station, scripts and tests can run\n" +
			"against it without JD credentials. Its credentials are demo ones unless -app-key, -app-secret\n" +
			"and -token are given on the command line.",
		Run: runSim,
	})
}

func runSim(ctx context.Context, e *cli.Env, args []string) error {
	fs := e.NewFlags("sim", "[-addr HOST:PORT] [-orders N] [-seed N] [-faults RATE] [-fault-kinds K,…] [-fault-seed N] [-latency D] [-quota N]")
	addr := fs.String("addr", "127.0.0.1:8790", "`address` to listen on")
	orders := fs.Int("orders", jostest.DefaultOrders, "number of generated orders")
	overseas := fs.Int("overseas", jostest.DemoOverseas, "overseas (海外购) `orders` beside them, shipped with the overseas outstorage and delivery")
	fbp := fs.Int("fbp", jostest.DemoFBP, "FBP `orders` (JD's warehouse ships them), seen only by 360buy.order.fbp.*")
	seed := fs.Int64("seed", jostest.DefaultSeed, "order generation seed: the same seed gives the same orders")
	faults := fs.Float64("faults", 0, "share of calls (0..1) that fail with an injected fault")
	kinds := fs.String("fault-kinds", "all", "comma-separated faults to draw from: http500, stall, busy, quota, malformed, lost-reply")
	faultSeed := fs.Int64("fault-seed", 1, "seed of the fault draws")
	latency := fs.Duration("latency", 0, "delay added to every call, e.g. 80ms")
	productsOut := fs.String("products-out", "", "write the shop's catalogue (sku ids, merchant codes, EAN-13 barcodes, weights) to this CSV `file`, for station products import")
	quota := fs.Int("quota", 0, "JOS's call quota: at most `N` calls per second per app, the rest refused with error 2 (0: none)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *orders < 1 || *orders > jostest.MaxOrders {
		return cli.Usagef("-orders must be between 1 and %d", jostest.MaxOrders)
	}
	if *seed == 0 {
		return cli.Usagef("-seed must not be 0")
	}
	if !(*faults >= 0 && *faults <= 1) {
		return cli.Usagef("-faults is a share of calls between 0 and 1, e.g. 0.2")
	}
	if *latency < 0 {
		return cli.Usagef("-latency must not be negative")
	}
	if *quota < 0 {
		return cli.Usagef("-quota is calls per second: 0 (none) or more")
	}
	faultKinds, err := jostest.ParseFaults(*kinds)
	if err != nil {
		return cli.Usagef("-fault-kinds: %v", err)
	}

	if *productsOut != "" {
		if err := writeCatalogue(*productsOut, *seed); err != nil {
			return err
		}
		fmt.Fprintf(e.Stderr, "station sim: wrote the catalogue of %d products to %s (station products import %s)\n",
			len(sample.Catalogue), *productsOut, shellQuote(*productsOut))
	}
	key, secret, token, ignoredEnv := simCredentials(fs, e.Flags())
	if ignoredEnv {
		fmt.Fprintln(e.Stderr, "station sim: ignoring the STATION_* credentials in the environment; "+
			"give -app-key, -app-secret and -token to choose the simulator's")
	}
	opts := jostest.Options{AppKey: key, AppSecret: secret, AccessToken: token, Orders: *orders, Seed: *seed, Overseas: *overseas, FBP: *fbp,
		FaultRate: *faults, FaultSeed: *faultSeed, Faults: faultKinds, Latency: *latency, Quota: *quota}
	sim, err := jostest.Start(opts, *addr)
	if err != nil {
		return fmt.Errorf("starting the simulator: %w (is another program using %s? try -addr 127.0.0.1:0)", err, *addr)
	}

	if key == "" {
		key, secret, token = jostest.DemoAppKey, jostest.DemoAppSecret, jostest.DemoAccessToken
	}
	base := strings.TrimSuffix(sim.URL, "/routerjson")
	w := e.Stdout
	fmt.Fprintf(w, "JOS simulator serving %d orders, %d overseas and %d FBP (seed %d) at\n  %s\n\n", *orders, *overseas, *fbp, *seed, sim.URL)
	fmt.Fprintf(w, "  app key       %s\n  app secret    %s\n  access token  %s\n", key, secret, token)
	if *faults > 0 {
		fmt.Fprintf(w, "  faults        %.0f%% of calls (%s; fault seed %d)\n", *faults*100, *kinds, *faultSeed)
	}
	if *latency > 0 {
		fmt.Fprintf(w, "  latency       %v per call\n", *latency)
	}
	if *quota > 0 {
		fmt.Fprintf(w, "  quota         %d calls per second per app\n", *quota)
	}
	fmt.Fprintf(w, "  ledger        %s/_sim/ledger\n\n", base)
	fmt.Fprintf(w, "Try, in another terminal:\n  station -endpoint %s -app-key %s -app-secret %s -token %s orders -json\n\n",
		sim.URL, shellQuote(key), shellQuote(secret), shellQuote(token))
	fmt.Fprintln(w, "Press Ctrl+C to stop.")

	<-ctx.Done()
	err = sim.Close()
	fmt.Fprintln(w, "simulator stopped")
	if err != nil {
		return fmt.Errorf("stopping the simulator: %w", err)
	}
	return nil
}

// simCredentials returns the credentials given on the command line, or "" for the demo ones.
// Values that only come from STATION_* environment variables are not used: they are likely a
// real shop's, and the simulator prints its credentials.
func simCredentials(fs *flag.FlagSet, f app.Flags) (key, secret, token string, ignoredEnv bool) {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	pick := func(flagName, value, envName string) string {
		env := os.Getenv(envName)
		if set[flagName] || (value != "" && value != env) { // given here, or before the command name
			return value
		}
		if env != "" {
			ignoredEnv = true
		}
		return ""
	}
	key = pick("app-key", f.AppKey, "STATION_APP_KEY")
	secret = pick("app-secret", f.AppSecret, "STATION_APP_SECRET")
	token = pick("token", f.Token, "STATION_ACCESS_TOKEN")
	if key != "" || secret != "" || token != "" {
		// A partial set falls back to the demo values for the rest, so that what is printed works.
		if key == "" {
			key = jostest.DemoAppKey
		}
		if secret == "" {
			secret = jostest.DemoAppSecret
		}
		if token == "" {
			token = jostest.DemoAccessToken
		}
	}
	return key, secret, token, ignoredEnv
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeCatalogue writes the simulated shop's products as an import file.
func writeCatalogue(path string, seed int64) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("-products-out: %w", err)
	}
	if err := products.WriteCSV(f, shop.Products(seed)); err != nil {
		f.Close()
		return fmt.Errorf("-products-out: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("-products-out: writing %s: %w", path, err)
	}
	return nil
}
