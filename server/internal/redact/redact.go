// Package redact hides secrets and personal identifiers in event context before it is shown or
// exported (reference §6.3, the old server's TelemetryRedactor).
//
// A member's value becomes "[REDACTED]" when its key
//   - contains one of the sensitive words (password, email, secret, token, apikey, privatekey,
//     authorization, cookie, setcookie, crypt, certificate), compared lowercased with every
//     character that is not a letter or a digit removed ("X-Api-Key" → "xapikey");
//   - has one of the short sensitive words as a whole token (key, salt, otp, ssn, cvv, cvc, pin),
//     tokens being split at punctuation and camelCase humps ("idempotency_key", "userOtp"), so
//     that "monkey" or "className" stay readable;
//   - is an identity key (deviceid, installationid, sessionid, userid and the like);
//   - is "id" (or "uuid") inside an object whose key names an identity (user.id, session.id,
//     installation.id, device.id, visitor.id, …);
//   - looks like an e-mail address: then the key itself is personal data and is replaced too
//     ("[REDACTED]", "[REDACTED 2]", … in key order).
//
// Booleans and nulls are kept as they are (they disclose nothing and say whether something was
// set). Objects and arrays under a sensitive key are replaced whole.
//
// Unlike the old server, trace, span and request ids stay readable: software makes them up for
// one request, they identify nobody, and they are how a reader finds the same request in the
// related logs, the trace and other tools.
package redact

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
)

// Marker replaces every redacted value.
const Marker = "[REDACTED]"

// maxDepth bounds recursion: deeper values are replaced by Marker (decoded JSON from our own
// decoder is far shallower; this only guards against hand-built values).
const maxDepth = 200

// sensitiveWords match anywhere in a compacted key.
var sensitiveWords = []string{
	"passw", "email", "secret", "token", "apikey", "privatekey", "authorization", "cookie",
	"setcookie", "crypt", "certificate", "credential", "passphrase",
}

// sensitiveTokens match a whole token of a key.
var sensitiveTokens = map[string]bool{
	"key": true, "salt": true, "otp": true, "ssn": true, "cvv": true, "cvc": true, "pin": true,
	"auth": true, "jwt": true, "csrf": true, "xsrf": true,
}

// identityKeys are compacted keys that identify a person, device or session.
var identityKeys = map[string]bool{
	"deviceid": true, "installationid": true, "installid": true, "sessionid": true, "userid": true,
	"visitorid": true, "anonymousid": true, "advertisingid": true, "distinctid": true,
	"accountid": true, "customerid": true, "idfa": true, "idfv": true, "androidid": true,
	"userhash": true, "sessionhash": true, "installationhash": true, "devicehash": true,
}

// identityParents are compacted object keys whose "id" member is an identity (user.id, …).
var identityParents = map[string]bool{
	"user": true, "session": true, "installation": true, "install": true, "device": true,
	"visitor": true, "anonymous": true,
	"account": true, "customer": true, "member": true, "actor": true,
	"person": true, "profile": true,
}

// emailKey matches keys that are e-mail addresses.
var emailKey = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s.]+$`)

// Value returns a redacted deep copy of v, a value decoded from JSON (map[string]any, []any,
// string, float64, json.Number, bool, nil). v itself is not changed. Other types are returned
// as they are.
func Value(v any) any {
	return value(v, "", 0)
}

// JSON redacts a JSON document: it decodes raw (keeping numbers exact), redacts it with Value and
// encodes it again. Empty input gives "null". It fails only on invalid JSON.
func JSON(raw []byte) ([]byte, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return []byte("null"), nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("redact: %w", err)
	}
	out, err := json.Marshal(Value(v))
	if err != nil {
		return nil, fmt.Errorf("redact: %w", err)
	}
	return out, nil
}

// SensitiveKey reports whether the value of a member named key is always redacted, wherever it
// stands (identity paths such as user.id also depend on the parent: see Value).
func SensitiveKey(key string) bool {
	c := compact(key)
	if c == "" {
		return false
	}
	if identityKeys[c] {
		return true
	}
	for _, w := range sensitiveWords {
		if strings.Contains(c, w) {
			return true
		}
	}
	for _, t := range tokens(key) {
		if sensitiveTokens[t] {
			return true
		}
	}
	return emailKey.MatchString(key)
}

// value redacts v; parent is the compacted key of the object that holds v ("" at the top or in
// arrays' parents' place).
func value(v any, parent string, depth int) any {
	if depth > maxDepth {
		return Marker
	}
	switch t := v.(type) {
	case map[string]any:
		return object(t, parent, depth)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = value(e, parent, depth+1)
		}
		return out
	default:
		return v
	}
}

// object redacts the members of one object.
func object(m map[string]any, parent string, depth int) map[string]any {
	out := make(map[string]any, len(m))
	var emailKeys []string
	for k, v := range m {
		if emailKey.MatchString(k) {
			emailKeys = append(emailKeys, k)
			continue
		}
		c := compact(k)
		if SensitiveKey(k) || (identityParents[parent] && (c == "id" || c == "uuid")) {
			out[k] = hide(v)
			continue
		}
		out[k] = value(v, c, depth+1)
	}
	sort.Strings(emailKeys)
	n := 0
	for _, k := range emailKeys {
		for {
			n++
			name := Marker
			if n > 1 {
				name = fmt.Sprintf("[REDACTED %d]", n)
			}
			if _, taken := out[name]; !taken {
				out[name] = hide(m[k])
				break
			}
		}
	}
	return out
}

// hide replaces a sensitive value, keeping booleans and nulls.
func hide(v any) any {
	switch v.(type) {
	case nil, bool:
		return v
	default:
		return Marker
	}
}

// compact lowercases key and drops every character that is not a letter or a digit.
func compact(key string) string {
	var b strings.Builder
	b.Grow(len(key))
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteString(strings.ToLower(string(r)))
		}
	}
	return b.String()
}

// tokens splits key into lowercase words at punctuation, letter/digit changes and camelCase humps
// ("X-Api-Key" → x api key, "userOTPCode" → user otp code).
func tokens(key string) []string {
	var out []string
	rs := []rune(key)
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			out = append(out, strings.ToLower(string(rs[start:end])))
		}
		start = -1
	}
	for i, r := range rs {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			flush(i)
			continue
		}
		if start < 0 {
			start = i
			continue
		}
		prev := rs[i-1]
		switch {
		case unicode.IsDigit(r) != unicode.IsDigit(prev):
			flush(i)
			start = i
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			flush(i)
			start = i
		case unicode.IsLower(r) && unicode.IsUpper(prev) && i-1 > start:
			// "OTPCode": the hump starts at the last capital.
			flush(i - 1)
			start = i - 1
		}
	}
	flush(len(rs))
	return out
}
