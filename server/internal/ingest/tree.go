package ingest

import "unicode"

// node is a decoded JSON value for the low-volume endpoints (check-ins, deployments), which need
// ordered lookups rather than a rewrite. Scalars keep their JSON text.
type node struct {
	raw  []byte   // the value's JSON text
	keys [][]byte // an object's member keys, decoded
	vals []*node  // an object's member values, or an array's elements
}

// parseTree validates b as one JSON document and decodes it.
func parseTree(b []byte) (*node, error) {
	s := scanner{b: b}
	i := skipWS(b, 0)
	end, err := s.scanValue(i, 0)
	if err != nil {
		return nil, err
	}
	if j := skipWS(b, end); j != len(b) {
		return nil, errUnexpected(b, j)
	}
	n, _ := buildNode(b, i)
	return n, nil
}

// buildNode decodes the validated value at b[i] and returns it with the index after it.
func buildNode(b []byte, i int) (*node, int) {
	n := &node{}
	switch b[i] {
	case '{':
		start := i
		i = skipWS(b, i+1)
		for i < len(b) && b[i] == '"' {
			kEnd, _ := stringEnd(b, i)
			key := decodeString(nil, b[i+1:kEnd-1])
			i = skipWS(b, skipWS(b, kEnd)+1)
			var v *node
			v, i = buildNode(b, i)
			n.keys, n.vals = append(n.keys, key), append(n.vals, v)
			if i = skipWS(b, i); b[i] == ',' {
				i = skipWS(b, i+1)
			}
		}
		i++ // '}'
		n.raw = b[start:i]
	case '[':
		start := i
		i = skipWS(b, i+1)
		for b[i] != ']' {
			var v *node
			v, i = buildNode(b, i)
			n.vals = append(n.vals, v)
			if i = skipWS(b, i); b[i] == ',' {
				i = skipWS(b, i+1)
			}
		}
		i++
		n.raw = b[start:i]
	default:
		end := valueEnd(b, i)
		n.raw = b[i:end]
		i = end
	}
	return n, i
}

func (n *node) isObject() bool { return n != nil && n.raw[0] == '{' }

// get returns the value of the last member named key, or nil.
func (n *node) get(key string) *node {
	if !n.isObject() {
		return nil
	}
	for j := len(n.keys) - 1; j >= 0; j-- {
		if string(n.keys[j]) == key {
			return n.vals[j]
		}
	}
	return nil
}

// present reports whether n is present in the Rails sense.
func (n *node) present() bool { return n != nil && !isBlank(n.raw) }

// scalar returns n when it is a value Rails' permit accepts as a scalar, else nil.
func (n *node) scalar() *node {
	if n == nil || n.raw[0] == '{' || n.raw[0] == '[' {
		return nil
	}
	return n
}

// str is Ruby's to_s of the value: "" for nil or null.
func (n *node) str() string {
	if n == nil {
		return ""
	}
	return text(n.raw)
}

// snakeKeys returns a copy of the object n whose keys, recursively, are snake_case
// (key.to_s.underscore.downcase); a later member wins over an earlier one with the same key. Other
// values are returned as they are.
func snakeKeys(n *node) *node {
	if n == nil || n.raw[0] != '{' && n.raw[0] != '[' {
		return n
	}
	out := &node{raw: n.raw, vals: make([]*node, len(n.vals))}
	for j, v := range n.vals {
		out.vals[j] = snakeKeys(v)
	}
	if n.raw[0] == '{' {
		out.keys = make([][]byte, len(n.keys))
		for j, k := range n.keys {
			out.keys[j] = appendNormalizedKey(nil, k)
		}
	}
	return out
}

// dig follows path through nested objects.
func (n *node) dig(path ...string) *node {
	for _, k := range path {
		if n = n.get(k); n == nil {
			return nil
		}
	}
	return n
}

// firstValue returns the first present value among the paths (ProjectDeploymentIndexer#first_value).
func (n *node) firstValue(paths ...[]string) *node {
	for _, p := range paths {
		if v := n.dig(p...); v.present() {
			return v
		}
	}
	return nil
}

// presence is Ruby's s.presence for a string: "" when s is blank.
func presence(s string) string {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return s
		}
	}
	return ""
}
