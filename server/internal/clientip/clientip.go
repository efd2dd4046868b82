// Package clientip finds the address of the client that sent a request.
//
// The connection's peer is the client, unless the peer is a trusted reverse proxy
// (LOGISTER_TRUSTED_PROXIES). Then X-Forwarded-For is read from the right, the end each proxy
// appends to, skipping trusted proxies: the first address that is not one of them is the client.
// Whatever a client writes into X-Forwarded-For itself lies to the left of the address its first
// proxy appended, so it is never reached, and a request that does not come from a trusted proxy
// cannot name its address at all.
package clientip

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Resolver finds requests' client addresses. Its zero value trusts no proxy.
type Resolver struct {
	trusted []netip.Prefix
}

// New returns a Resolver that believes X-Forwarded-For from peers within trusted.
func New(trusted []netip.Prefix) *Resolver {
	return &Resolver{trusted: trusted}
}

// Addr returns the client's address, or the zero Addr when the peer address cannot be parsed (a
// Unix socket, for instance). IPv4-mapped IPv6 addresses are returned as IPv4.
func (r *Resolver) Addr(req *http.Request) netip.Addr {
	peer := parse(req.RemoteAddr)
	if !peer.IsValid() || !r.isTrusted(peer) {
		return peer
	}
	client := peer
	header := strings.Join(req.Header.Values("X-Forwarded-For"), ",")
	for header != "" {
		var hop string
		if i := strings.LastIndexByte(header, ','); i >= 0 {
			header, hop = header[:i], header[i+1:]
		} else {
			header, hop = "", header
		}
		hop = strings.TrimSpace(hop)
		if hop == "" {
			continue
		}
		addr := parse(hop)
		if !addr.IsValid() {
			// A trusted proxy passed on something that is not an address: the hop before it is
			// unknown, and the nearest verified address is the last trusted one.
			return client
		}
		client = addr
		if !r.isTrusted(addr) {
			return addr
		}
	}
	// Every hop is a trusted proxy: the leftmost is the origin.
	return client
}

// String returns Addr as text, or the raw peer address when it cannot be parsed. It fits
// echo.Echo's IPExtractor, so access logs name the same client as the rate limits.
func (r *Resolver) String(req *http.Request) string {
	if a := r.Addr(req); a.IsValid() {
		return a.String()
	}
	return req.RemoteAddr
}

func (r *Resolver) isTrusted(a netip.Addr) bool {
	for _, p := range r.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parse reads "ip", "ip:port", "[ipv6]:port" or "[ipv6]", dropping any IPv6 zone.
func parse(s string) netip.Addr {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone("")
	}
	if host, _, err := net.SplitHostPort(s); err == nil {
		s = host
	} else {
		s = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

// Bucket is what per-client rate limits count: an IPv4 address itself, or the /64 network of an
// IPv6 address (one subscriber's network, whose addresses a client may rotate through freely), or
// "unknown" for the zero Addr.
func Bucket(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "unknown"
	case a.Is4():
		return a.String()
	}
	return netip.PrefixFrom(a, 64).Masked().String()
}
