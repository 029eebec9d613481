package ssm

import "testing"

func TestEpochJSON(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"zone-less ISO, as moto sends", "2025-11-07T10:00:00.500000", "1762509600.500"},
		{"RFC 3339 with zone", "2025-11-07T11:00:00+01:00", "1762509600.000"},
		{"already a number", "1762509600.5", "1762509600.5"},
		{"not a date", "soon", "null"},
		{"empty", "", "null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(epochJSON(tc.in)); got != tc.want {
				t.Errorf("epochJSON(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}
