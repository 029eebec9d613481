package inventory

import "testing"

func TestProbeVersion(t *testing.T) {
	tests := []struct {
		name, out, want string
	}{
		{"nginx", "nginx version: nginx/1.10.3", "1.10.3"},
		{"httpd", "Server version: Apache/2.4.57 (Unix)", "2.4.57"},
		{"apache2 debian", "Server version: Apache/2.4.62 (Debian)", "2.4.62"},
		{"php", "PHP 7.4.33 (cli) (built: Nov  8 2022 11:37:29) ( NTS )", "7.4.33"},
		{"java 8", `openjdk version "1.8.0_402"`, "1.8.0_402"},
		{"java 17", `openjdk version "17.0.9" 2023-10-17`, "17.0.9"},
		{"java 21 bare major", `openjdk version "21" 2023-09-19`, "21"},
		{"oracle java", `java version "1.7.0_80"`, "1.7.0_80"},
		{"node keeps v", "v18.19.0", "v18.19.0"},
		{"redis", "Redis server v=6.2.14 sha=00000000:0 malloc=jemalloc-5.1.0 bits=64 build=4d7b7d8f1e4a2a8b", "6.2.14"},
		{"mysqld", "mysqld  Ver 5.7.44 for Linux on x86_64 (MySQL Community Server (GPL))", "5.7.44"},
		{"mariadbd", "/usr/sbin/mariadbd  Ver 10.5.23-MariaDB-0+deb11u1 for debian-linux-gnu on x86_64 (Debian 11)", "10.5.23"},
		{"openssl 1.0.2 fips", "OpenSSL 1.0.2k-fips  26 Jan 2017", "1.0.2k"},
		{"openssl 3", "OpenSSL 3.0.11 19 Sep 2023 (Library: OpenSSL 3.0.11 19 Sep 2023)", "3.0.11"},
		{"postgres", "postgres (PostgreSQL) 15.5", "15.5"},
		{"postgres debian", "postgres (PostgreSQL) 15.5 (Debian 15.5-0+deb12u1)", "15.5"},
		{"memcached", "memcached 1.6.21", "1.6.21"},
		{"haproxy", "HAProxy version 2.4.22-f8e3218 2023/02/14 - https://haproxy.org/", "2.4.22"},
		{"haproxy old", "HA-Proxy version 1.5.18 2016/05/10", "1.5.18"},
		{"python", "Python 3.11.6", "3.11.6"},
		{"ruby 3", "ruby 3.2.2 (2023-03-30 revision e51014f9c0) [x86_64-linux]", "3.2.2"},
		{"ruby 2 patchlevel", "ruby 2.7.8p225 (2023-03-30 revision 1f4d455848) [x86_64-linux]", "2.7.8"},
		{"tomcat", "Server number: 9.0.85.0", "9.0.85.0"},
		{"no version", "nginx: [emerg] unknown option", ""},
		{"date only", "built 2023-03-30", ""},
		{"single number", "version 7", ""},
		{"empty", "", ""},
		{"trailing dot", "tool 1.2.", "1.2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ProbeVersion(tt.out); got != tt.want {
				t.Errorf("ProbeVersion(%q) = %q, want %q", tt.out, got, tt.want)
			}
		})
	}
}

func TestParseOSRelease(t *testing.T) {
	got := ParseOSRelease([]byte("NAME=\"Amazon Linux\"\nVERSION=\"2023\"\nID=\"amzn\"\nID_LIKE=\"fedora\"\nVERSION_ID=\"2023\"\n# comment\n  PRETTY_NAME='Amazon Linux 2023.10.20260202'\nBROKEN\n"))
	want := OSRelease{ID: "amzn", VersionID: "2023", Name: "Amazon Linux", PrettyName: "Amazon Linux 2023.10.20260202", IDLike: "fedora"}
	if got != want {
		t.Errorf("ParseOSRelease = %+v, want %+v", got, want)
	}
}
