package clientip_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/logister/logister/server/internal/clientip"
)

func TestAddr(t *testing.T) {
	t.Parallel()
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48"),
		netip.MustParsePrefix("192.0.2.10/32")}
	r := clientip.New(trusted)
	tests := []struct {
		name   string
		remote string
		xff    []string
		want   string
	}{
		{"no proxy", "203.0.113.5:4711", nil, "203.0.113.5"},
		{"spoofed XFF from an untrusted peer is ignored", "203.0.113.5:4711", []string{"1.2.3.4"}, "203.0.113.5"},
		{"untrusted IPv6 peer", "[2001:db8:1::7]:443", []string{"10.1.1.1"}, "2001:db8:1::7"},
		{"trusted proxy without XFF is the client", "10.0.0.2:80", nil, "10.0.0.2"},
		{"trusted proxy names the client", "10.0.0.2:80", []string{"198.51.100.9"}, "198.51.100.9"},
		{"the client's own XFF entries are left of its address", "10.0.0.2:80", []string{"1.2.3.4, 5.6.7.8, 198.51.100.9"}, "198.51.100.9"},
		{"a chain of trusted proxies is skipped", "10.0.0.2:80", []string{"1.2.3.4, 198.51.100.9, 192.0.2.10, 10.9.9.9"}, "198.51.100.9"},
		{"several header lines are one list", "10.0.0.2:80", []string{"1.2.3.4", "198.51.100.9, 10.0.0.3"}, "198.51.100.9"},
		{"IPv6 client behind an IPv6 proxy", "[2001:db8:ffff::1]:443", []string{"2001:db8:aaaa::42"}, "2001:db8:aaaa::42"},
		{"ports and brackets are accepted", "10.0.0.2:80", []string{"[2001:db8:aaaa::42]:5555"}, "2001:db8:aaaa::42"},
		{"IPv4 with port", "10.0.0.2:80", []string{"198.51.100.9:1234"}, "198.51.100.9"},
		{"IPv4-mapped peer is IPv4", "[::ffff:10.0.0.2]:80", []string{"198.51.100.9"}, "198.51.100.9"},
		{"IPv4-mapped client is IPv4", "10.0.0.2:80", []string{"::ffff:198.51.100.9"}, "198.51.100.9"},
		{"garbage from a trusted hop stops at the last trusted address", "10.0.0.2:80", []string{"198.51.100.9, unknown, 10.0.0.3"}, "10.0.0.3"},
		{"empty entries are skipped", "10.0.0.2:80", []string{"198.51.100.9,, "}, "198.51.100.9"},
		{"all trusted: the leftmost", "10.0.0.2:80", []string{"10.1.1.1, 10.0.0.3"}, "10.1.1.1"},
		{"zones are dropped", "[fe80::1%eth0]:80", nil, "fe80::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/ingest_events", nil)
			req.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				req.Header.Add("X-Forwarded-For", v)
			}
			require.Equal(t, tt.want, r.Addr(req).String())
			require.Equal(t, tt.want, r.String(req))
		})
	}
}

func TestNoTrustedProxies(t *testing.T) {
	t.Parallel()
	var zero clientip.Resolver
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.RemoteAddr = "127.0.0.1:5000"
	req.Header.Set("X-Forwarded-For", "198.51.100.9")
	req.Header.Set("X-Real-Ip", "198.51.100.9")
	require.Equal(t, "127.0.0.1", zero.String(req), "even loopback is not trusted unless configured")
	require.Equal(t, "127.0.0.1", clientip.New(nil).String(req))

	req.RemoteAddr = "@" // a Unix socket
	require.False(t, zero.Addr(req).IsValid())
	require.Equal(t, "@", zero.String(req))
}

func TestBucket(t *testing.T) {
	t.Parallel()
	require.Equal(t, "198.51.100.9", clientip.Bucket(netip.MustParseAddr("198.51.100.9")))
	require.Equal(t, "2001:db8:1:2::/64", clientip.Bucket(netip.MustParseAddr("2001:db8:1:2:aaaa:bbbb:cccc:dddd")))
	require.Equal(t, clientip.Bucket(netip.MustParseAddr("2001:db8:1:2::1")), clientip.Bucket(netip.MustParseAddr("2001:db8:1:2:ffff::9")))
	require.Equal(t, "unknown", clientip.Bucket(netip.Addr{}))
}
