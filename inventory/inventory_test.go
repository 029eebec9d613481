package inventory

import "testing"

func TestInstalled(t *testing.T) {
	tests := []struct {
		p    Package
		want bool
	}{
		{Package{Manager: "rpm", Name: "nginx"}, true},
		{Package{Manager: "dpkg", Name: "nginx", Status: "ii"}, true},
		{Package{Manager: "dpkg", Name: "nginx", Status: "hi"}, true},
		{Package{Manager: "dpkg", Name: "nginx", Status: "iF"}, true},
		{Package{Manager: "dpkg", Name: "nginx", Status: "iU"}, true},
		{Package{Manager: "dpkg", Name: "apache2", Status: "rc"}, false},
		{Package{Manager: "dpkg", Name: "apache2", Status: "pn"}, false},
		{Package{Manager: "dpkg", Name: "apache2", Status: "un"}, false},
		{Package{Manager: "dpkg", Name: "nginx"}, true}, // no status: a pasted list
	}
	for _, tt := range tests {
		if got := tt.p.Installed(); got != tt.want {
			t.Errorf("%s %q: Installed() = %v, want %v", tt.p.Name, tt.p.Status, got, tt.want)
		}
	}
}
