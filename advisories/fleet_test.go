package advisories

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"upkeep/inventory"
)

// A Judger shares work between hosts and changes nothing else: every host's
// report and readiness, waivers included, equal judging that host alone
// with no cache; and hosts no waiver touches share their findings.
func TestJudgerSharesProfiles(t *testing.T) {
	d := mustLoad(t)
	obs := synthObservations(t, 400)
	// Hosts keep only their discovery tags for waivers: drop the collector's
	// Name tag from a few to make tag waivers select some hosts.
	opt := Options{At: day("2026-11-24"), Within: 180, Waivers: []Waiver{
		{Product: "nginx", Host: "web-prod-0001*", Reason: "by host"},
		{Product: "php", Tag: "Env=staging", Reason: "by tag"},
		{Product: "openssl", Reason: "expired", Expires: day("2026-01-01")},
		{Key: obs[3].Host.ID + "/al2023/os", Reason: "the OS entry cannot be waived"},
		{Product: "python", Cycle: "2.7", Reason: "everywhere"},
	}}
	jr := d.NewJudger(opt)
	load := func(int64) ([]inventory.Package, error) {
		t.Fatal("packages were in the observations; nothing should be read")
		return nil, nil
	}
	shared := map[*Finding]int{}
	waived := 0
	for i := range obs {
		h, err := jr.Host(&obs[i], load)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range h.Findings {
			shared[f]++
		}
		alone := obs[i]
		alone.PackageSet = 0
		want := d.Judge([]inventory.Observation{alone}, opt)[0]
		got := h.Report()
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: shared judgement\n%+v\nalone\n%+v", obs[i].Host.ID, got, want)
		}
		for _, f := range got.Findings {
			if f.Waived {
				waived++
			}
		}
		if gr, wr := h.HostReadiness(), d.Readiness([]HostReport{want}, opt)[0]; !reflect.DeepEqual(gr, wr) {
			t.Fatalf("%s: shared readiness\n%+v\nalone\n%+v", obs[i].Host.ID, gr, wr)
		}
	}
	if waived == 0 {
		t.Error("no finding was waived: the waivers test nothing")
	}
	if jr.Profiles() >= len(obs)/4 {
		t.Errorf("%d profiles for %d hosts: hosts do not share", jr.Profiles(), len(obs))
	}
	most := 0
	for _, n := range shared {
		most = max(most, n)
	}
	if most < len(obs)/20 {
		t.Errorf("no finding is shared by more than %d hosts", most)
	}
}

// identity must tell apart two findings that differ in any one field, or
// the Judger would share a finding between hosts it does not belong to.
func TestIdentityCoversEveryField(t *testing.T) {
	base := Finding{}
	rt := reflect.TypeOf(base)
	for i := range rt.NumField() {
		f := base
		v := reflect.ValueOf(&f).Elem().Field(i)
		switch v.Kind() {
		case reflect.String:
			v.SetString("x")
		case reflect.Int:
			v.SetInt(1)
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		default:
			t.Fatalf("field %s: kind %s not covered by this test", rt.Field(i).Name, v.Kind())
		}
		if identity(&f) == identity(&base) {
			t.Errorf("identity ignores field %s", rt.Field(i).Name)
		}
	}
	empty := Finding{Packages: []string{}, Ports: []int{}}
	if identity(&empty) == identity(&base) {
		t.Error("identity does not tell an empty list from none")
	}
	a, b := Finding{Package: "a\x00b"}, Finding{Package: "a", Version: "b"}
	if identity(&a) == identity(&b) {
		t.Error("a value with a NUL in it passes for two values")
	}
}

// Every field of a report that could change a finding must change the
// profile key, or two hosts that differ would share one judgement.
func TestProfileKeyCoversReport(t *testing.T) {
	// What names the host, not what runs on it; packages are the set id.
	skip := map[string]bool{"Facts.Hostname": true, "Facts.Uptime": true, "Facts.CollectedAt": true, "Facts.MachineID": true,
		"Tags": true, "Warnings": true, "Packages": true}
	fresh := func() *inventory.Report {
		return &inventory.Report{Probes: []inventory.Probe{{}}, Services: []inventory.Service{{}},
			Listeners: []inventory.Listener{{}}, Support: []inventory.SupportStatement{{}},
			Listings: []inventory.SecurityListing{{}}}
	}
	key := func(r *inventory.Report) string { return profileKey(&inventory.Observation{Report: r, PackageSet: 1}) }
	want := key(fresh())
	// leaf walks to a field by its index path, through the first element
	// of a slice of structs.
	leaf := func(r *inventory.Report, path []int) reflect.Value {
		v := reflect.ValueOf(r).Elem()
		for _, i := range path {
			if v.Kind() == reflect.Slice {
				v = v.Index(0)
			}
			v = v.Field(i)
		}
		return v
	}
	var visit func(typ reflect.Type, path []int, name string)
	visit = func(typ reflect.Type, path []int, name string) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			n := strings.TrimPrefix(name+"."+f.Name, ".")
			p := append(slices.Clone(path), i)
			if skip[n] {
				continue
			}
			ft := f.Type
			if ft.Kind() == reflect.Struct && ft != reflect.TypeOf(time.Time{}) {
				visit(ft, p, n)
				continue
			}
			if ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct {
				visit(ft.Elem(), p, n)
				r := fresh()
				v := leaf(r, p)
				v.Set(reflect.Append(v, reflect.Zero(ft.Elem())))
				if key(r) == want {
					t.Errorf("profileKey ignores how many %s a host has", n)
				}
				continue
			}
			r := fresh()
			v := leaf(r, p)
			switch v.Kind() {
			case reflect.String:
				v.SetString("x")
			case reflect.Int, reflect.Int64:
				v.SetInt(1)
			case reflect.Bool:
				v.SetBool(true)
			default:
				t.Errorf("%s: a %s field; teach profileKey and this test about it", n, v.Kind())
				continue
			}
			if key(r) == want {
				t.Errorf("profileKey ignores %s", n)
			}
		}
	}
	visit(reflect.TypeOf(inventory.Report{}), nil, "")
}
