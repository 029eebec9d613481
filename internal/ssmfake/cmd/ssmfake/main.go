// Command ssmfake serves a fake AWS Systems Manager endpoint on loopback,
// with a fleet of fixture instances, so upkeep can be tried without AWS:
//
//	go run ./internal/ssmfake/cmd/ssmfake -hosts 50 -offline 2
//	AWS_ACCESS_KEY_ID=fake AWS_SECRET_ACCESS_KEY=fake \
//	  upkeep scan --all --region us-east-1 --endpoint-url http://127.0.0.1:PORT
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"upkeep/internal/ssmfake"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "ssmfake:", err)
		os.Exit(1)
	}
}

func run() error {
	var (
		addr    = flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
		regions = flag.String("regions", "us-east-1", "comma-separated regions the instances are dealt to")
		profile = flag.String("profile", "full", "full, minimal (what moto offers: no DescribeInstanceInformation or ListCommandInvocations, instant empty Success) or lenient (filters and paging ignored, sparse instance information)")
		spec    ssmfake.FleetSpec
		faults  ssmfake.Faults
	)
	flag.IntVar(&spec.Hosts, "hosts", 20, "instances in all")
	flag.IntVar(&spec.Offline, "offline", 0, "instances whose agent is not online")
	flag.IntVar(&spec.Undeliverable, "undeliverable", 0, "instances commands never reach")
	flag.IntVar(&spec.Hang, "hang", 0, "instances where the collector times out")
	flag.IntVar(&spec.Fail, "fail", 0, "instances where the collector exits non-zero")
	flag.IntVar(&spec.Huge, "huge", 0, "instances whose output passes 24,000 characters")
	flag.IntVar(&spec.Windows, "windows", 0, "Windows instances")
	flag.IntVar(&spec.Unmanaged, "unmanaged", 0, "instances not registered with SSM (their ids are printed)")
	flag.BoolVar(&spec.Inventory, "inventory", true, "serve SSM Inventory (AWS:Application) for Linux instances")
	flag.DurationVar(&faults.Latency, "latency", 0, "latency added to every API call")
	flag.Float64Var(&faults.ThrottleRate, "throttle", 0, "fraction of API calls answered with ThrottlingException")
	flag.IntVar(&faults.PageSize, "page-size", 0, "largest page served, whatever MaxResults asks (0: as asked)")
	flag.DurationVar(&faults.Invisible, "invisible", 500*time.Millisecond, "how long new invocations are unknown (InvocationDoesNotExist)")
	flag.DurationVar(&faults.ExecDelay, "exec-delay", time.Second, "least time an invocation takes")
	flag.DurationVar(&faults.ExecJitter, "exec-jitter", 2*time.Second, "random extra per invocation (out-of-order completion)")
	flag.DurationVar(&faults.HangFor, "hang-for", 0, "cap on how long hanging instances run (0: the command's executionTimeout)")
	flag.Parse()
	if host, _, err := net.SplitHostPort(*addr); err != nil || (host != "127.0.0.1" && host != "localhost" && host != "::1") {
		return fmt.Errorf("-addr %s: listen on loopback only", *addr)
	}
	spec.Regions = strings.Split(*regions, ",")
	prof, ok := ssmfake.Profiles[*profile]
	if !ok {
		return fmt.Errorf("-profile %s: use full, minimal or lenient", *profile)
	}

	fleet := ssmfake.Fleet(spec)
	fake := ssmfake.New(fleet, ssmfake.WithRegion(spec.Regions[0]), ssmfake.WithFaults(faults), ssmfake.WithProfile(prof()))
	defer fake.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	url := "http://" + ln.Addr().String()
	fmt.Printf("ssmfake: %d instances in %s at %s\n", len(fleet), *regions, url)
	for _, in := range fleet {
		if in.Unmanaged {
			fmt.Printf("ssmfake: unmanaged instance %s (%s)\n", in.ID, in.Region)
		}
	}
	fmt.Printf("try:\n  AWS_ACCESS_KEY_ID=fake AWS_SECRET_ACCESS_KEY=fake upkeep scan --all --region %s --endpoint-url %s\n", *regions, url)
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		return err
	}
	st := fake.Stats()
	fmt.Printf("ssmfake: served %d API calls (%d throttled)\n", st.Total(), sumMap(st.Throttled))
	ops := make([]string, 0, len(st.Calls))
	for op := range st.Calls {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		fmt.Printf("ssmfake:   %-28s %6d (%d throttled)\n", op, st.Calls[op], st.Throttled[op])
	}
	return nil
}

func sumMap(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
