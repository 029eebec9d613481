package inventory

import "testing"

func TestIdentify(t *testing.T) {
	tagged := func(host string, tags map[string]string) *Report {
		return &Report{Facts: Facts{Hostname: host}, Tags: tags}
	}
	tests := []struct {
		name     string
		r        *Report
		id, host string
	}{
		{"no report", nil, "web-1.out", "web-1.out"},
		{"nothing but the fallback", tagged("", nil), "web-1.out", "web-1.out"},
		{"hostname", tagged("ip-10-0-0-1", nil), "ip-10-0-0-1", "ip-10-0-0-1"},
		{"both tags", tagged("ip-10-0-0-1", map[string]string{"InstanceId": "i-0abc", "Name": "web-1"}), "i-0abc", "web-1"},
		{"instance id only", tagged("ip-10-0-0-1", map[string]string{"InstanceId": "i-0abc"}), "i-0abc", "ip-10-0-0-1"},
		{"name only", tagged("ip-10-0-0-1", map[string]string{"Name": "web-1"}), "ip-10-0-0-1", "web-1"},
		{"tags without hostname", tagged("", map[string]string{"InstanceId": "i-0abc", "Name": "web-1"}), "i-0abc", "web-1"},
		{"empty tag values count as absent", tagged("ip-10-0-0-1", map[string]string{"InstanceId": "", "Name": ""}), "ip-10-0-0-1", "ip-10-0-0-1"},
		{"other tags are ignored", tagged("ip-10-0-0-1", map[string]string{"Env": "prod", "instanceid": "i-0abc"}), "ip-10-0-0-1", "ip-10-0-0-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, name := Identify(tt.r, "web-1.out")
			if id != tt.id || name != tt.host {
				t.Errorf("Identify = %q, %q; want %q, %q", id, name, tt.id, tt.host)
			}
		})
	}
}
