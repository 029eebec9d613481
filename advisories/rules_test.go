package advisories

import "testing"

// TestRules has at least one case per row of the mapping table (and fails
// when a row has none), plus the lookalikes no row may claim.
func TestRules(t *testing.T) {
	m := newMapper()
	cases := []struct {
		mgr, name, evr    string
		product, upstream string // product "" = must stay unmapped
	}{
		{"rpm", "nginx", "1:1.20.0-2.amzn2.0.5", "nginx", "1.20.0"},
		{"dpkg", "nginx-core", "1.18.0-6ubuntu14.4", "nginx", "1.18.0"},
		{"rpm", "nginx-filesystem", "1:1.20.0-2.amzn2.0.5", "nginx", "1.20.0"},
		{"dpkg", "libnginx-mod-http-geoip", "1.18.0-6.1+deb11u3", "nginx", "1.18.0"},
		{"rpm", "nginx-mod-stream", "1:1.24.0-1.amzn2023.0.1", "nginx", "1.24.0"},
		{"rpm", "nginx-module-njs", "1:1.26.2+0.8.5-1.el9.ngx", "nginx", "1.26.2"},
		{"rpm", "httpd", "2.4.62-1.amzn2.0.2", "apache-http-server", "2.4.62"},
		{"rpm", "mod_ssl", "1:2.4.62-1.amzn2.0.2", "apache-http-server", "2.4.62"},
		{"rpm", "httpd24-httpd", "2.4.34-7.el7", "apache-http-server", "2.4.34"},
		{"rpm", "httpd24-mod_ssl", "1:2.4.34-7.el7", "apache-http-server", "2.4.34"},
		{"dpkg", "apache2", "2.4.52-1ubuntu4.12", "apache-http-server", "2.4.52"},
		{"dpkg", "apache2-bin", "2.4.52-1ubuntu4.12", "apache-http-server", "2.4.52"},
		{"rpm", "php", "5.4.16-46.amzn2.0.2", "php", "5.4.16"},
		{"rpm", "php-fpm", "7.4.33-1.amzn2", "php", "7.4.33"},
		{"rpm", "php-mysqlnd", "7.4.33-1.amzn2", "php", "7.4.33"},
		{"rpm", "php8.2", "8.2.7-1.amzn2023.0.1", "php", "8.2.7"},
		{"dpkg", "php8.1-fpm", "8.1.2-1ubuntu2.19", "php", "8.1.2"},
		{"dpkg", "php7.4-mysql", "7.4.33-1+deb11u5", "php", "7.4.33"},
		{"rpm", "php74-php-fpm", "7.4.33-13.el7.remi", "php", "7.4.33"},
		{"rpm", "php74-php-mysqlnd", "7.4.33-13.el7.remi", "php", "7.4.33"},
		{"dpkg", "libapache2-mod-php7.4", "7.4.3-4ubuntu2.24", "php", "7.4.3"},
		{"dpkg", "php-mysql", "2:8.1+92ubuntu1", "php", "8.1"},
		{"rpm", "mysql-community-server", "5.7.44-1.el7", "mysql", "5.7.44"},
		{"rpm", "mysql-community-client", "5.7.44-1.el7", "mysql", "5.7.44"},
		{"rpm", "mysql-server", "8.0.36-1.el9_3", "mysql", "8.0.36"},
		{"rpm", "mysql", "8.0.36-1.el9_3", "mysql", "8.0.36"},
		{"dpkg", "mysql-server-8.0", "8.0.39-0ubuntu0.22.04.1", "mysql", "8.0.39"},
		{"dpkg", "mysql-client-core-8.0", "8.0.39-0ubuntu0.22.04.1", "mysql", "8.0.39"},
		{"dpkg", "mysql-server", "8.0.39-0ubuntu0.22.04.1", "mysql", "8.0.39"},
		{"rpm", "mariadb-server", "1:5.5.68-1.amzn2.0.1", "mariadb", "5.5.68"},
		{"rpm", "mariadb-libs", "1:5.5.68-1.amzn2.0.1", "mariadb", "5.5.68"},
		{"dpkg", "mariadb-server-10.5", "1:10.5.23-0+deb11u1", "mariadb", "10.5.23"},
		{"rpm", "mariadb105-server", "3:10.5.25-1.amzn2023.0.1", "mariadb", "10.5.25"},
		{"rpm", "mariadb1011-server", "3:10.11.8-1.amzn2023.0.1", "mariadb", "10.11.8"},
		{"rpm", "mariadb105", "3:10.5.25-1.amzn2023.0.1", "mariadb", "10.5.25"},
		{"rpm", "postgresql-server", "9.2.24-8.amzn2.0.4", "postgresql", "9.2.24"},
		{"rpm", "postgresql-libs", "9.2.24-8.amzn2.0.4", "postgresql", "9.2.24"},
		{"rpm", "postgresql15-server", "15.8-1.amzn2023.0.1", "postgresql", "15.8"},
		{"rpm", "postgresql15", "15.8-1.amzn2023.0.1", "postgresql", "15.8"},
		{"dpkg", "postgresql-14", "14.13-0ubuntu0.22.04.1", "postgresql", "14.13"},
		{"dpkg", "postgresql-client-14", "14.13-0ubuntu0.22.04.1", "postgresql", "14.13"},
		{"dpkg", "postgresql", "14+238", "postgresql", "14"},
		{"rpm", "redis", "6.2.14-1.amzn2.0.1", "redis", "6.2.14"},
		{"dpkg", "redis-server", "5:6.0.16-1ubuntu1", "redis", "6.0.16"},
		{"dpkg", "redis-tools", "5:6.0.16-1ubuntu1", "redis", "6.0.16"},
		{"rpm", "redis6", "6.2.14-1.amzn2023.0.1", "redis", "6.2.14"},
		{"rpm", "valkey", "8.0.2-1.amzn2023.0.1", "valkey", "8.0.2"},
		{"rpm", "valkey-compat-redis", "8.0.2-1.amzn2023.0.1", "valkey", "8.0.2"},
		{"rpm", "java-17-amazon-corretto-headless", "1:17.0.13+11-1.amzn2.1", "amazon-corretto", "17.0.13"},
		{"rpm", "java-1.8.0-amazon-corretto", "1:1.8.0_382.b05-1.amzn2", "amazon-corretto", "8.0.382"},
		{"dpkg", "amazon-corretto-17", "1:17.0.13.11-1", "amazon-corretto", "17.0.13"},
		{"rpm", "java-1.8.0-openjdk", "1:1.8.0.432.b06-1.amzn2.0.1", "eclipse-temurin", "8.0.432"},
		{"rpm", "java-11-openjdk-headless", "1:11.0.25.0.9-1.el8", "eclipse-temurin", "11.0.25"},
		{"rpm", "java-latest-openjdk", "1:23.0.1.0.11-1.rolling.el9", "eclipse-temurin", "23.0.1"},
		{"dpkg", "openjdk-17-jre-headless", "17.0.12+7-1ubuntu2~22.04", "eclipse-temurin", "17.0.12"},
		{"dpkg", "temurin-17-jdk", "17.0.13.0.0+11-1", "eclipse-temurin", "17.0.13"},
		{"rpm", "tomcat", "7.0.76-10.amzn2.0.5", "tomcat", "7.0.76"},
		{"rpm", "tomcat-lib", "7.0.76-10.amzn2.0.5", "tomcat", "7.0.76"},
		{"dpkg", "tomcat9", "9.0.58-1ubuntu0.1", "tomcat", "9.0.58"},
		{"dpkg", "tomcat10-common", "10.1.55-1~deb12u1", "tomcat", "10.1.55"},
		{"dpkg", "libtomcat10-java", "10.1.55-1~deb12u1", "tomcat", "10.1.55"},
		{"rpm", "nodejs", "1:18.12.1-1.amzn2023.0.9", "nodejs", "18.12.1"},
		{"rpm", "nodejs-libs", "1:18.12.1-1.amzn2023.0.9", "nodejs", "18.12.1"},
		{"rpm", "nodejs20", "1:20.17.0-1.amzn2023.0.1", "nodejs", "20.17.0"},
		{"dpkg", "libnode108", "18.19.0+dfsg-6~deb12u2", "nodejs", "18.19.0"},
		{"rpm", "python3.11", "3.11.9-1.amzn2023.0.3", "python", "3.11.9"},
		{"dpkg", "python3.11-minimal", "3.11.2-6+deb12u8", "python", "3.11.2"},
		{"dpkg", "libpython3.11-stdlib", "3.11.2-6+deb12u8", "python", "3.11.2"},
		{"dpkg", "libpython3.11-dev", "3.11.2-6+deb12u6", "python", "3.11.2"},
		{"dpkg", "libpython3-stdlib", "3.11.2-1+b1", "python", "3.11.2"},
		{"dpkg", "python3-dev", "3.11.2-1+b1", "python", "3.11.2"},
		{"rpm", "python3-devel", "3.9.18-1.el9_3", "python", "3.9.18"},
		{"rpm", "python3", "3.7.16-1.amzn2.0.9", "python", "3.7.16"},
		{"rpm", "python39", "3.9.25-2.module+el8.10.0+23718+1842ae33", "python", "3.9.25"},
		{"rpm", "platform-python", "3.6.8-76.el8_10", "python", "3.6.8"},
		{"rpm", "python", "2.7.18-1.amzn2.0.9", "python", "2.7.18"},
		{"dpkg", "python2.7", "2.7.18-1~20.04.5", "python", "2.7.18"},
		{"rpm", "ruby", "2.0.0.648-36.amzn2.0.5", "ruby", "2.0.0.648"},
		{"rpm", "ruby-libs", "2.0.0.648-36.amzn2.0.5", "ruby", "2.0.0.648"},
		{"rpm", "ruby3.2", "3.2.4-1.amzn2023.0.2", "ruby", "3.2.4"},
		{"dpkg", "libruby3.0", "3.0.2-7ubuntu2.7", "ruby", "3.0.2"},
		{"rpm", "openssl", "1:1.0.2k-24.amzn2.0.11", "openssl", "1.0.2k"},
		{"rpm", "openssl-libs", "1:3.0.8-1.amzn2023.0.14", "openssl", "3.0.8"},
		{"rpm", "openssl11", "1:1.1.1g-12.amzn2.0.20", "openssl", "1.1.1g"},
		{"rpm", "compat-openssl11", "1:1.1.1k-4.el9_0", "openssl", "1.1.1k"},
		{"dpkg", "libssl3", "3.0.2-0ubuntu1.18", "openssl", "3.0.2"},
		{"dpkg", "libssl-dev", "3.0.2-0ubuntu1.18", "openssl", "3.0.2"},
		{"rpm", "kernel", "5.10.228-219.884.amzn2", "linux", "5.10.228"},
		{"dpkg", "linux-image-5.15.0-1051-aws", "5.15.0-1051.56", "linux", "5.15.0"},
		{"dpkg", "linux-modules-extra-5.15.0-91-generic", "5.15.0-91.101", "linux", "5.15.0"},
		{"rpm", "kernel-uek", "5.15.0-208.159.3.el9uek", "linux", "5.15.0"},
		{"rpm", "kernel6.12", "6.12.37-61.105.amzn2023", "linux", "6.12.37"},
		{"dpkg", "docker.io", "24.0.7-0ubuntu2~22.04.1", "docker-engine", "24.0.7"},
		{"dpkg", "docker-ce-cli", "5:27.3.1-1~ubuntu.22.04~jammy", "docker-engine", "27.3.1"},
		{"rpm", "containerd", "1.7.27-1.amzn2023.0.1", "containerd", "1.7.27"},
		{"dpkg", "haproxy", "2.6.12-1+deb12u3", "haproxy", "2.6.12"},
		{"dpkg", "memcached", "1.6.18-1", "memcached", "1.6.18"},
		{"rpm", "squid", "7:3.5.20-17.amzn2.7.7", "squid", "3.5.20"},
		{"rpm", "varnish", "6.0.13-1.el8", "vinyl-cache", "6.0.13"},
		{"rpm", "MariaDB-server", "10.11.9-1.el9", "mariadb", "10.11.9"},
		{"rpm", "MariaDB-client", "10.11.9-1.el9", "mariadb", "10.11.9"},
		{"rpm", "mongodb-org-server", "7.0.14-1.el9", "mongodb", "7.0.14"},
		{"dpkg", "elasticsearch", "8.15.2", "elasticsearch", "8.15.2"},
		{"dpkg", "rabbitmq-server", "3.12.1-1ubuntu1", "rabbitmq", "3.12.1"},
		{"dpkg", "erlang-base", "1:25.2.3+dfsg-1", "erlang", "25.2.3"},
		{"rpm", "golang", "1.20.6-1.amzn2.0.1", "go", "1.20.6"},
		{"dpkg", "golang-1.19-go", "1.19.8-2", "go", "1.19.8"},
		{"rpm", "grafana", "11.2.2-1", "grafana", "11.2.2"},
		{"dpkg", "golang-go", "2:1.18~0ubuntu2", "go", "1.18"},
		{"rpm", "podman", "1.6.4-10.module_el8.2.0+305+5e198a41", "podman", "1.6.4"},
		{"dpkg", "podman", "3.4.4+ds1-1ubuntu1.22.04.2", "podman", "3.4.4"},
		{"rpm", "postfix", "2:3.5.25-1.el9", "postfix", "3.5.25"},
		{"dpkg", "dovecot-core", "1:2.3.19.1+dfsg1-2.1+deb12u1", "dovecot", "2.3.19.1"},
		{"dpkg", "exim4-daemon-light", "4.96-15+deb12u5", "exim", "4.96"},
		{"dpkg", "exim4-base", "4.96-15+deb12u5", "exim", "4.96"},
		{"dpkg", "openvpn", "2.6.3-1+deb12u2", "openvpn", "2.6.3"},
		{"rpm", "kubelet", "1.30.4-150500.1.1", "kubernetes", "1.30.4"},
		{"dpkg", "kubectl", "1.30.4-1.1", "kubernetes", "1.30.4"},
		// Lookalikes: other projects sharing a prefix.
		{"rpm", "nginx-mimetypes", "2.1.49-3.amzn2023.0.3", "", ""},
		{"rpm", "python3-requests", "2.25.1-1.amzn2023", "", ""},
		{"dpkg", "postgresql-common", "238", "", ""},
		{"rpm", "mariadb-connector-c", "3.1.13-1.amzn2023.0.3", "", ""},
		{"rpm", "php-pear", "1:1.10.13-2.amzn2023.0.4", "", ""},
		{"rpm", "php-pecl-redis", "2.2.8-1.amzn2", "", ""},
		{"dpkg", "php8.3-redis", "6.0.2-1", "", ""},
		{"dpkg", "php-common", "2:92ubuntu1", "", ""},
		{"dpkg", "mysql-common", "5.8+1.0.7", "", ""},
		{"rpm", "openssl-pkcs11", "0.4.12-3.amzn2023.0.1", "", ""},
		{"dpkg", "ruby-net-telnet", "0.1.1-2", "", ""},
		{"dpkg", "docker-compose", "1.29.2-1", "", ""},
		{"rpm", "nodejs-packaging", "2021.06-2.amzn2023.0.3", "", ""},
		{"rpm", "nginx-mod-modsecurity", "1.0.3-1.el9", "", ""},
		{"dpkg", "libnginx-mod-http-headers-more-filter", "1:0.34-1+b1", "", ""},
		{"dpkg", "libnginx-mod-http-auth-pam", "1:1.5.3-5", "", ""},
		{"rpm", "perl-base", "2.27-477.amzn2023.0.9", "", ""},
		{"dpkg", "perl", "5.36.0-7+deb12u3", "", ""},
		{"rpm", "sqlite-libs", "3.34.1-7.el9_3", "", ""},
		{"rpm", "perl-Carp", "1.50-458.amzn2023.0.2", "", ""},
		{"dpkg", "libmariadb3", "1:10.11.6-0+deb12u1", "", ""},
		{"dpkg", "linux-image-aws", "5.15.0.1066.66", "", ""},
		{"dpkg", "linux-libc-dev", "6.1.129-1", "", ""},
		{"rpm", "openssl-fips-provider", "3.5.5-4.el9_8", "", ""},
		{"dpkg", "postgresql-client-common", "248+deb12u1", "", ""},
	}
	hit := make([]bool, len(rules))
	for _, c := range cases {
		t.Run(c.mgr+"/"+c.name, func(t *testing.T) {
			mt, ok := m.Map(c.mgr, c.name, c.evr)
			if c.product == "" {
				if ok {
					t.Fatalf("%s is not a product, but rule %d (%s) maps it to %s", c.name, mt.Rule, rules[mt.Rule].pattern, mt.Product)
				}
				return
			}
			if !ok || mt.Product != c.product || mt.Upstream != c.upstream {
				t.Fatalf("got %+v (ok %v), want %s %s", mt, ok, c.product, c.upstream)
			}
			hit[mt.Rule] = true
		})
	}
	for i, h := range hit {
		if !h {
			t.Errorf("rule %d (%s) has no case", i, rules[i].pattern)
		}
	}
}
