package plan

import (
	"strings"
	"testing"
	"time"
)

// TestReadShips covers the support forms and the rows the reader refuses.
func TestReadShips(t *testing.T) {
	const head = "os\tos_cycle\tproduct\tcycle\tpackages\tsupport\tnote\tsource\n"
	good := head +
		"el\t9\tphp\t8.0\tphp,php-fpm\tuntil:2032-05-31\tdefault version\thttps://example.org/a\n" +
		"el\t9\tphp\t8.3\t@php:8.3\tuntil:2029-05-31\t\thttps://example.org/b\n" +
		"debian\t13\tphp\t8.4\tphp8.4\tos\t\thttps://example.org/c\n" +
		"amazon-linux\t2023\tmysql\t-\t\t\tuse the vendor's repository\thttps://example.org/d\n"
	s, err := ReadShips(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	el := s.Ships("el", "9", "php")
	if len(el.Offers) != 2 || !el.Offers[0].Until.Equal(time.Date(2032, 5, 31, 0, 0, 0, 0, time.UTC)) || el.Offers[0].OSSupported ||
		el.Offers[1].Source != "https://example.org/b" || el.Offers[0].Note != "default version" {
		t.Errorf("el 9 php = %+v", el)
	}
	// A rebuild reads its family's rows; a release without rows is not known.
	for _, os := range []string{"rocky-linux", "almalinux", "rhel", "centos"} {
		if got := s.Ships(os, "9", "php"); len(got.Offers) != 2 {
			t.Errorf("%s 9 php: %d offers, want the el rows", os, len(got.Offers))
		}
	}
	if got := s.Ships("ubuntu", "24.04", "php"); got.Known {
		t.Errorf("ubuntu 24.04 php is known without a row: %+v", got)
	}
	if got := s.Ships("amazon-linux", "2023", "mysql"); !got.Known || len(got.Offers) != 0 || got.Note == "" {
		t.Errorf("a '-' row is a known absence with its note: %+v", got)
	}
	if got := s.Ships("debian", "13", "php"); !got.Offers[0].OSSupported {
		t.Errorf("support os: %+v", got)
	}

	for name, row := range map[string]string{
		"no source":    "el\t9\tphp\t8.3\t@php:8.3\tuntil:2029-05-31\t\t\n",
		"bad date":     "el\t9\tphp\t8.3\t@php:8.3\tuntil:2029-13-31\t\thttps://example.org\n",
		"bad support":  "el\t9\tphp\t8.3\t@php:8.3\tforever\t\thttps://example.org\n",
		"no package":   "el\t9\tphp\t8.3\t\tos\t\thttps://example.org\n",
		"listed twice": "el\t9\tphp\t8.3\tphp\tos\t\thttps://example.org\nel\t9\tphp\t8.3\tphp\tos\t\thttps://example.org\n",
		"short row":    "el\t9\tphp\t8.3\n",
	} {
		if _, err := ReadShips(strings.NewReader(head + row)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
