package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// Event kinds, as the SDKs name them in event_type.
const (
	kindError       = "error"
	kindLog         = "log"
	kindMetric      = "metric"
	kindTransaction = "transaction"
	kindSpan        = "span"
)

// SDK styles the corpus imitates (shared/spec/sdk-wire-examples/logister-*.md).
const (
	styleJS     = "js"
	stylePython = "python"
	styleRuby   = "ruby"
)

var styles = [...]string{styleJS, stylePython, styleRuby}

// Corpus shape. The deck is the sequence of events the generator cycles through; its mix is 70 %
// errors, 10 % of which carry a client fingerprint, and 30 % logs, metrics, transactions and spans.
const (
	errorSignatures    = 200 // distinct exception type + in-app stack: the groups the server must compute
	variantsPerSig     = 3   // each signature in 3 variants: messages, line numbers, request data differ
	clientFingerprints = 20  // groups named by a client fingerprint instead
	deckSize           = 2000
)

// deckMix is how many deck entries each kind gets.
var deckMix = []struct {
	kind string
	n    int
}{
	{kindError, 1400}, // of which deckClientFP carry a client fingerprint
	{kindLog, 240},
	{kindMetric, 120},
	{kindTransaction, 120},
	{kindSpan, 120},
}

// deckClientFP is how many of the deck's errors send a client fingerprint (10 %).
const deckClientFP = 140

// template is one distinct event of the corpus.
type template struct {
	Kind      string
	Style     string
	Signature int    // error signature (0..errorSignatures-1), -1 for other kinds
	ClientFP  string // the fingerprint the client sends; "" when the server computes one
	Event     map[string]any
}

// corpus holds the distinct events and the deck order in which they are sent.
type corpus struct {
	Templates []*template
	Deck      []int // indexes into Templates, shuffled
	At        time.Time
}

// buildCorpus builds the deterministic corpus; at is the occurred_at the events carry (the
// benchmark's start, so that the server's time-precision rules treat them as fresh).
func buildCorpus(at time.Time) *corpus {
	r := &rng{s: 0x10615735}
	c := &corpus{At: at}
	sigs := makeSignatures(r)

	byKind := map[string][]int{}
	add := func(t *template) {
		byKind[t.Kind] = append(byKind[t.Kind], len(c.Templates))
		c.Templates = append(c.Templates, t)
	}
	for _, s := range sigs {
		for v := range variantsPerSig {
			add(&template{Kind: kindError, Style: s.style, Signature: s.id, Event: errorEvent(s, v, r, at)})
		}
	}
	var fpTemplates []int
	for k := range clientFingerprints {
		s := sigs[(k*errorSignatures/clientFingerprints+5)%errorSignatures]
		ev := errorEvent(s, 9, r, at)
		fp := clientFingerprint(s)
		ev["fingerprint"] = fp
		fpTemplates = append(fpTemplates, len(c.Templates))
		c.Templates = append(c.Templates, &template{Kind: kindError, Style: s.style, Signature: s.id, ClientFP: fp, Event: ev})
	}
	for i := range 30 {
		add(&template{Kind: kindLog, Style: styles[i%3], Signature: -1, Event: logEvent(styles[i%3], i, r, at)})
	}
	for i := range 21 {
		add(&template{Kind: kindMetric, Style: styles[i%3], Signature: -1, Event: metricEvent(styles[i%3], i, r, at)})
	}
	for i := range 21 {
		add(&template{Kind: kindTransaction, Style: styles[i%3], Signature: -1, Event: transactionEvent(styles[i%3], i, r, at)})
	}
	for i := range 24 {
		add(&template{Kind: kindSpan, Style: styles[i%3], Signature: -1, Event: spanEvent(styles[i%3], i, r, at)})
	}

	for _, m := range deckMix {
		pool := byKind[m.kind]
		n := m.n
		if m.kind == kindError {
			n -= deckClientFP
			for i := range deckClientFP {
				c.Deck = append(c.Deck, fpTemplates[i%len(fpTemplates)])
			}
		}
		for i := range n {
			c.Deck = append(c.Deck, pool[i%len(pool)])
		}
	}
	for i := len(c.Deck) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		c.Deck[i], c.Deck[j] = c.Deck[j], c.Deck[i]
	}
	return c
}

// expectedGroups is how many error groups the corpus should produce.
func (c *corpus) expectedGroups() (server, client int) {
	return errorSignatures, clientFingerprints
}

// singlePayloads renders every deck entry as a POST /api/v1/ingest_events body.
func (c *corpus) singlePayloads() []*Payload {
	compiled := make([]*Payload, len(c.Templates))
	for i, t := range c.Templates {
		body := marshal(map[string]any{"event": t.Event})
		compiled[i] = compile(body, t.Kind, 1)
		compiled[i].Tables[tableOf(t.Kind)] = 1
	}
	out := make([]*Payload, len(c.Deck))
	for i, ti := range c.Deck {
		out[i] = compiled[ti]
	}
	return out
}

// batchPayloads renders n NDJSON bodies of size envelopes each, consecutive slices of the deck,
// every envelope with a uuid that the generator fills in per request.
func (c *corpus) batchPayloads(n, size int) []*Payload {
	lines := make([][]byte, len(c.Templates))
	for i, t := range c.Templates {
		ev := make(map[string]any, len(t.Event)+1)
		for k, v := range t.Event {
			ev[k] = v
		}
		ev["uuid"] = uuidPlaceholder
		lines[i] = marshal(map[string]any{"event": ev})
	}
	out := make([]*Payload, n)
	for b := range n {
		var buf bytes.Buffer
		var tables [nTables]int
		for e := range size {
			ti := c.Deck[(b*size+e)%len(c.Deck)]
			buf.Write(lines[ti])
			buf.WriteByte('\n')
			tables[tableOf(c.Templates[ti].Kind)]++
		}
		out[b] = compile(buf.Bytes(), "batch", size)
		out[b].Tables = tables
	}
	return out
}

// kindStats summarises the single-event body sizes of one kind over the deck.
type kindStats struct {
	DeckShare float64 `json:"deck_share"`
	Templates int     `json:"templates"`
	MeanBytes int     `json:"mean_bytes"`
	MinBytes  int     `json:"min_bytes"`
	MaxBytes  int     `json:"max_bytes"`
}

// stats describes the corpus for the report.
func (c *corpus) stats(single []*Payload) map[string]*kindStats {
	out := map[string]*kindStats{}
	sum := map[string]int{}
	for _, t := range c.Templates {
		k := out[t.Kind]
		if k == nil {
			k = &kindStats{MinBytes: 1 << 30}
			out[t.Kind] = k
		}
		k.Templates++
	}
	for i, ti := range c.Deck {
		kind := c.Templates[ti].Kind
		n := len(single[i].Body)
		k := out[kind]
		k.DeckShare++
		sum[kind] += n
		k.MinBytes = min(k.MinBytes, n)
		k.MaxBytes = max(k.MaxBytes, n)
	}
	for kind, k := range out {
		k.MeanBytes = sum[kind] / int(k.DeckShare)
		k.DeckShare /= float64(len(c.Deck))
	}
	return out
}

// marshal encodes v as JSON the way SDKs do: without Go's HTML escaping of <, > and &.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only maps, slices, strings and numbers: cannot fail
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// ---- errors ----

// frameSpec is one in-app or dependency stack frame of a signature.
type frameSpec struct {
	fn, file string
	line     int
}

// signature is what the server's grouping reads: exception type and stack frames.
type signature struct {
	id         int
	style      string
	class      string
	module     string // Python: the exception's module
	verb, noun string
	area       string
	frames     []frameSpec // in-app frames, innermost first
	lib        []frameSpec // dependency frames, outside the app, innermost first
	reason     string      // message tail, with %d for a number that varies by variant
	cause      bool        // carries a chained cause
}

var (
	verbs = []string{"charge", "load", "save", "render", "parse", "validate", "fetch", "sync", "refund", "ship",
		"build", "export", "import", "resolve", "notify", "apply", "compute", "schedule", "publish", "archive"}
	nouns = []string{"Card", "Invoice", "Order", "Cart", "User", "Session", "Payment", "Report", "Coupon", "Address",
		"Shipment", "Account", "Token", "Profile", "Webhook", "Subscription", "Refund", "Product", "Catalog", "Ledger"}
	areas   = []string{"checkout", "billing", "accounts", "catalog", "shipping", "reports", "auth", "webhooks"}
	reasons = []string{
		"upstream returned %d", "timed out after %dms", "record %d not found", "amount %d exceeds the limit",
		"invalid state for id %d", "lock wait exceeded (%d ms)", "connection reset after %d bytes",
		"quota exceeded: %d requests", "unexpected token at position %d", "retry %d of 5 failed",
	}
	classes = map[string][]string{
		styleJS:     {"TypeError", "RangeError", "Error", "PaymentDeclinedError", "ValidationError", "FetchError", "TimeoutError", "SyntaxError"},
		stylePython: {"KeyError", "ValueError", "TypeError", "RuntimeError", "PaymentDeclinedError", "IntegrityError", "TimeoutError", "AttributeError"},
		styleRuby:   {"NoMethodError", "ArgumentError", "ActiveRecord::RecordNotFound", "PaymentDeclinedError", "Timeout::Error", "KeyError", "ActiveRecord::StaleObjectError", "JSON::ParserError"},
	}
	pythonBuiltins = map[string]bool{"KeyError": true, "ValueError": true, "TypeError": true, "RuntimeError": true,
		"AttributeError": true, "TimeoutError": true}
	libFrames = map[string][]frameSpec{
		styleJS: {
			{"Layer.handleRequest", "/srv/app/node_modules/router/lib/layer.js", 152},
			{"next", "/srv/app/node_modules/router/lib/route.js", 157},
			{"Route.dispatch", "/srv/app/node_modules/router/lib/route.js", 117},
			{"processTicksAndRejections", "node:internal/process/task_queues", 95},
		},
		stylePython: {
			{"dispatch_request", "/usr/local/lib/python3.11/site-packages/flask/app.py", 1799},
			{"full_dispatch_request", "/usr/local/lib/python3.11/site-packages/flask/app.py", 1823},
			{"wsgi_app", "/usr/local/lib/python3.11/site-packages/flask/app.py", 2190},
		},
		styleRuby: {
			{"send_action", "/usr/local/bundle/gems/actionpack-7.1.3/lib/action_controller/metal/basic_implicit_render.rb", 6},
			{"process_action", "/usr/local/bundle/gems/actionpack-7.1.3/lib/abstract_controller/base.rb", 224},
			{"call", "/usr/local/bundle/gems/rack-2.2.8/lib/rack/etag.rb", 27},
			{"call", "/usr/local/bundle/gems/railties-7.1.3/lib/rails/engine.rb", 536},
		},
	}
)

// makeSignatures builds errorSignatures signatures whose innermost in-app function is unique, so
// the server's stack fingerprint yields exactly one group per signature.
func makeSignatures(r *rng) []*signature {
	combos := make([][2]int, 0, len(verbs)*len(nouns))
	for v := range verbs {
		for n := range nouns {
			combos = append(combos, [2]int{v, n})
		}
	}
	for i := len(combos) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		combos[i], combos[j] = combos[j], combos[i]
	}
	sigs := make([]*signature, errorSignatures)
	for i := range sigs {
		style := styles[i%3]
		cls := classes[style]
		s := &signature{id: i, style: style, class: cls[r.intn(len(cls))], area: areas[r.intn(len(areas))],
			reason: reasons[r.intn(len(reasons))], cause: r.intn(3) == 0}
		s.verb, s.noun = verbs[combos[i][0]], nouns[combos[i][1]]
		s.module = "shop." + s.area + ".errors"
		if pythonBuiltins[s.class] {
			s.module = "builtins"
		}
		depth := 2 + r.intn(3)
		for d := range depth {
			c := combos[i]
			if d > 0 {
				c = combos[(i+errorSignatures+d*37+r.intn(150))%len(combos)]
			}
			s.frames = append(s.frames, frameFor(style, verbs[c[0]], nouns[c[1]], d, 20+r.intn(400)))
		}
		lib := libFrames[style]
		s.lib = lib[:1+r.intn(len(lib))]
		sigs[i] = s
	}
	return sigs
}

// frameFor names the function and file of an in-app frame in the conventions of style.
func frameFor(style, verb, noun string, depth, line int) frameSpec {
	switch style {
	case styleJS:
		dir := "services"
		if depth > 0 {
			dir = "routes"
		}
		return frameSpec{verb + noun, "file:///srv/app/src/" + dir + "/" + lowerFirst(noun) + ".mjs", line}
	case stylePython:
		return frameSpec{verb + "_" + snake(noun), "/srv/app/src/shop/" + snake(noun) + "s.py", line}
	default:
		dir, suffix := "services", "_service.rb"
		if depth > 0 {
			dir, suffix = "controllers", "s_controller.rb"
			if strings.HasSuffix(noun, "s") {
				suffix = "es_controller.rb"
			}
		}
		return frameSpec{verb + "_" + snake(noun), "/srv/app/app/" + dir + "/" + snake(noun) + suffix, line}
	}
}

// message is the error message of variant v: only its numbers change between variants.
func (s *signature) message(v int) string {
	n := []int{4200, 502, 3000, 17, 991}[v%5] + v*113
	return fmt.Sprintf("%s %s failed for %s %d: %s", s.verb, strings.ToLower(s.noun), snake(s.noun), 10000+v*7919,
		fmt.Sprintf(s.reason, n))
}

// clientFingerprint is what an SDK that fingerprints on its own sends: the Ruby SDK a 32-hex
// digest, the others a readable slug.
func clientFingerprint(s *signature) string {
	if s.style == styleRuby {
		sum := sha256.Sum256([]byte(s.class + ":" + s.verb + s.noun))
		return hex.EncodeToString(sum[:16])
	}
	return s.area + "-" + s.verb + "-" + strings.ToLower(s.noun)
}

// errorEvent builds variant v of signature s in its SDK's shape.
func errorEvent(s *signature, v int, r *rng, at time.Time) map[string]any {
	msg := s.message(v)
	ctx := commonContext(s.style, r)
	ctx["tags"] = map[string]any{"area": s.area, "variant": v}
	ctx["trace_id"] = traceID(r)
	ctx["request_id"] = fmt.Sprintf("req-%s-%06d", s.style, r.intn(1000000))
	ctx["user_id"] = fmt.Sprintf("user-%d", r.intn(50000))
	ev := map[string]any{"event_type": kindError, "level": "error", "message": msg, "occurred_at": timestamp(at, v), "context": ctx}
	switch s.style {
	case styleJS:
		ctx["exception"] = jsException(s.class, msg, s.frames, s.lib, v)
		if s.cause {
			ctx["exception"].(map[string]any)["cause"] = jsException("SyntaxError",
				"Expected property name or '}' in JSON at position 1", s.frames[:1], nil, v+1)
		}
		ctx["request"] = jsRequest(r, "POST", "/api/"+s.area+"/"+strings.ToLower(s.noun)+"s")
		ctx["http"] = map[string]any{"status_code": 500}
		ctx["session_id"] = fmt.Sprintf("sess-%d", r.intn(100000))
	case stylePython:
		ctx["exception"] = pyException(s, msg, v, r)
		ctx["framework"] = "flask"
		ctx["request"] = map[string]any{"method": "POST", "path": "/" + s.area + "/" + snake(s.noun),
			"url": "https://shop.example.test/" + s.area + "/" + snake(s.noun),
			"headers": map[string]any{"Host": "shop.example.test", "User-Agent": "Mozilla/5.0 (X11; Linux x86_64)",
				"Accept": "application/json", "X-Request-Id": ctx["request_id"]},
			"query_string": nil, "route": "/" + s.area + "/<id>", "client_ip": "203.0.113.9"}
	default:
		ev["message"] = s.class + ": " + msg
		ctx["exception"] = rbException(s, msg, v)
		ctx["breadcrumbs"] = []any{
			map[string]any{"category": "ui", "message": "clicked " + s.verb, "level": "info", "timestamp": timestamp(at, v+3), "data": map[string]any{"button": s.verb}},
			map[string]any{"category": "http", "message": "POST /api/" + s.area, "level": "info", "timestamp": timestamp(at, v+2), "data": map[string]any{"status": 502}},
		}
		ctx["user"] = map[string]any{"id": 42 + v, "email": "user@example.test", "name": "Test User"}
		ctx["dependencyCalls"] = []any{map[string]any{"name": "payments-api", "host": "api.payments.example",
			"method": "POST", "status": 502, "durationMs": 80.5 + float64(v), "kind": "http"}}
	}
	return ev
}

// jsException is context.exception as logister-js sends it: class, message, V8 stack, frames
// and backtrace.
func jsException(class, msg string, frames, lib []frameSpec, v int) map[string]any {
	var fs, bt []any
	var stack strings.Builder
	stack.WriteString(class + ": " + msg)
	for i, f := range append(append([]frameSpec{}, frames...), lib...) {
		line, col := f.line+v*3, 5+(i*7+v)%30
		fs = append(fs, map[string]any{"name": f.fn, "filename": f.file, "lineno": line, "colno": col})
		loc := fmt.Sprintf("at %s (%s:%d:%d)", f.fn, f.file, line, col)
		bt = append(bt, loc)
		stack.WriteString("\n    " + loc)
	}
	return map[string]any{"class": class, "qualified_class": class, "message": msg, "stack": stack.String(),
		"frames": fs, "backtrace": bt}
}

// pyException is context.exception as logister-python sends it: frames and backtrace outermost
// first, with source lines and some locals.
func pyException(s *signature, msg string, v int, r *rng) map[string]any {
	var fs, bt []any
	all := append(append([]frameSpec{}, s.frames...), s.lib...)
	for i := len(all) - 1; i >= 0; i-- {
		f := all[i]
		line := f.line + v*3
		fr := map[string]any{"filename": f.file, "lineno": line, "name": f.fn, "line": f.fn + "(order, amount=amount)"}
		if i == 0 {
			fr["locals"] = map[string]any{"amount": fmt.Sprint(4200 + v), "order": fmt.Sprintf("<Order id=%d>", r.intn(100000))}
			fr["line"] = "raise " + s.class + "(f\"" + s.verb + " failed\")"
		}
		fs = append(fs, fr)
		bt = append(bt, fmt.Sprintf("File %q, line %d, in %s", f.file, line, f.fn))
	}
	ex := map[string]any{"class": s.class, "qualified_class": s.module + "." + s.class, "module": s.module,
		"message": msg, "frames": fs, "backtrace": bt}
	if s.cause {
		f := s.frames[0]
		ex["cause"] = map[string]any{"class": "KeyError", "qualified_class": "builtins.KeyError", "module": "builtins",
			"message": "'missing'", "frames": []any{map[string]any{"filename": f.file, "lineno": f.line - 2, "name": f.fn, "line": "{}[\"missing\"]"}},
			"backtrace": []any{fmt.Sprintf("File %q, line %d, in %s", f.file, f.line-2, f.fn)}}
	}
	return ex
}

// rbException is context.exception as logister-ruby sends it: backtrace strings, innermost first.
func rbException(s *signature, msg string, v int) map[string]any {
	var bt []any
	for _, f := range append(append([]frameSpec{}, s.frames...), s.lib...) {
		bt = append(bt, fmt.Sprintf("%s:%d:in `%s'", f.file, f.line+v*3, f.fn))
	}
	ex := map[string]any{"class": s.class, "message": msg, "backtrace": bt}
	if s.cause {
		f := s.frames[0]
		ex["cause"] = map[string]any{"class": "ArgumentError", "message": "invalid value for Integer(): \"not-a-number\"",
			"backtrace": []any{fmt.Sprintf("%s:%d:in `Integer'", f.file, f.line-2), fmt.Sprintf("%s:%d:in `%s'", f.file, f.line-2, f.fn)}}
	}
	return ex
}

// ---- logs, metrics, transactions, spans ----

var logMessages = []string{
	"payment authorized for order %d", "cache miss for key user:%d:profile", "retrying webhook delivery %d",
	"slow query detected: %dms", "user %d signed in", "inventory sync finished in %dms",
	"rate limit nearly reached for tenant %d", "email queued for account %d", "feature flag new-checkout evaluated for %d",
	"background job %d picked up",
}

// logEvent builds log i in the shape of style.
func logEvent(style string, i int, r *rng, at time.Time) map[string]any {
	level := []string{"info", "info", "info", "warn", "debug", "info", "error", "warn", "info", "info"}[i%10]
	msg := fmt.Sprintf(logMessages[i%len(logMessages)], 100+r.intn(90000))
	ctx := commonContext(style, r)
	ctx["trace_id"] = traceID(r)
	ctx["request_id"] = fmt.Sprintf("req-%s-%06d", style, r.intn(1000000))
	ev := map[string]any{"event_type": kindLog, "level": level, "message": msg, "occurred_at": timestamp(at, i), "context": ctx}
	switch style {
	case styleJS:
		ctx["component"] = areas[i%len(areas)]
		ctx["logger_name"] = "console"
		ctx["logger"] = map[string]any{"name": "console", "method": level}
		ctx["log_record"] = map[string]any{"arguments": []any{msg, map[string]any{"n": i, "tenant": "acme"}}, "original_method": level}
		ctx["request"] = jsRequest(r, "GET", "/api/"+areas[i%len(areas)])
	case stylePython:
		ctx["logger"] = "shop." + areas[i%len(areas)]
		ctx["module"] = areas[i%len(areas)]
		ctx["func_name"] = "handle_" + areas[i%len(areas)]
		ctx["lineno"] = 40 + i
		ctx["pathname"] = "/srv/app/src/shop/" + areas[i%len(areas)] + ".py"
		ctx["thread_name"] = "MainThread"
		ctx["process_name"] = "MainProcess"
		ctx["extra"] = map[string]any{"attempt": 1 + i%3, "tenant": "acme", "queue": "default"}
	default:
		ev["fingerprint"] = traceID(r) // the Ruby SDK fingerprints every event
		ctx["tags"] = map[string]any{"source": areas[i%len(areas)], "host": "web-1"}
		ctx["attempt"] = 1 + i%3
		ctx["user"] = map[string]any{"id": r.intn(50000)}
	}
	return ev
}

var metricNames = []struct {
	name, unit string
	value      float64
}{
	{"checkout.cart_value", "usd", 129.95}, {"db.query", "ms", 12.75}, {"queue.depth", "jobs", 42},
	{"http.client.duration", "ms", 87.2}, {"cache.hit_ratio", "ratio", 0.93}, {"worker.memory", "mb", 312},
	{"db.query", "ms", 3.5},
}

// metricEvent builds metric i in the shape of style.
func metricEvent(style string, i int, r *rng, at time.Time) map[string]any {
	m := metricNames[i%len(metricNames)]
	value := round2(m.value * (0.5 + float64(r.intn(100))/100))
	ctx := commonContext(style, r)
	ctx["metric"] = map[string]any{"name": m.name, "value": value, "unit": m.unit}
	ctx["value"] = value
	ctx["unit"] = m.unit
	ctx["tags"] = map[string]any{"region": "eu-west-1", "area": areas[i%len(areas)]}
	if m.name == "db.query" {
		ctx["sql"] = "SELECT * FROM " + snake(nouns[i%len(nouns)]) + "s WHERE id = $1 AND tenant_id = $2"
		ctx["name"] = nouns[i%len(nouns)] + " Load"
		ctx["duration_ms"] = value
		ctx["trace_id"] = traceID(r)
		ctx["request_id"] = fmt.Sprintf("req-%s-%06d", style, r.intn(1000000))
	}
	return map[string]any{"event_type": kindMetric, "level": "info", "message": m.name, "occurred_at": timestamp(at, i), "context": ctx}
}

var routes = []string{"GET /users/:id", "POST /checkout", "GET /api/v1/orders/:id", "PATCH /cart/items/:id",
	"GET /catalog/:slug", "POST /webhooks/stripe", "DELETE /sessions/:id"}

// transactionEvent builds transaction i in the shape of style.
func transactionEvent(style string, i int, r *rng, at time.Time) map[string]any {
	route := routes[i%len(routes)]
	method, path, _ := strings.Cut(route, " ")
	duration := 5 + float64(r.intn(40000))/100
	ctx := commonContext(style, r)
	ctx["transaction_name"] = route
	ctx["duration_ms"] = duration
	ctx["trace_id"] = traceID(r)
	ctx["request_id"] = fmt.Sprintf("req-%s-%06d", style, r.intn(1000000))
	ctx["http"] = map[string]any{"status_code": []int{200, 200, 201, 200, 304, 200, 404}[i%7]}
	ctx["request"] = jsRequest(r, method, strings.ReplaceAll(path, ":id", fmt.Sprint(r.intn(100000))))
	ctx["timing_breakdown"] = map[string]any{"db": round2(duration * 0.4), "view": round2(duration * 0.3), "external": round2(duration * 0.2)}
	if style == styleRuby {
		ctx["performance"] = map[string]any{"dbRuntimeMs": round2(duration * 0.4), "viewRuntimeMs": round2(duration * 0.3)}
		ctx["dependencyCalls"] = []any{map[string]any{"name": "redis", "kind": "cache", "durationMs": 1.2},
			map[string]any{"name": "payments-api", "kind": "http", "durationMs": round2(duration * 0.2), "status": 200}}
	}
	return map[string]any{"event_type": kindTransaction, "level": "info", "message": route, "occurred_at": timestamp(at, i), "context": ctx}
}

// spanEvent builds span i in the shape of style: even ones are root server spans, odd ones
// database child spans. Trace, span and parent ids are placeholders filled per request.
func spanEvent(style string, i int, r *rng, at time.Time) map[string]any {
	root := i%2 == 0
	route := routes[i%len(routes)]
	name, kind, duration := route, "server", 20+float64(r.intn(30000))/100
	if !root {
		name, kind, duration = "SELECT "+snake(nouns[i%len(nouns)])+"s", "db", 0.5+float64(r.intn(2000))/100
	}
	start := at.Add(-time.Duration(i) * time.Millisecond)
	started, ended := start.Format(timeLayout), start.Add(time.Duration(duration*float64(time.Millisecond))).Format(timeLayout)
	ctx := commonContext(style, r)
	fields := map[string]any{"name": name, "trace_id": tracePlaceholder, "span_id": spanPlaceholder, "kind": kind,
		"status": "ok", "duration_ms": duration, "started_at": started, "ended_at": ended,
		"request_id": fmt.Sprintf("req-%s-%06d", style, r.intn(1000000))}
	if !root {
		fields["parent_span_id"] = parentPlaceholder
		ctx["db"] = map[string]any{"system": "postgresql", "statement": "SELECT * FROM " + snake(nouns[i%len(nouns)]) + "s WHERE id = $1"}
	} else {
		ctx["route"] = strings.SplitN(route, " ", 2)[1]
		ctx["http"] = map[string]any{"status_code": 200}
		ctx["request"] = jsRequest(r, strings.SplitN(route, " ", 2)[0], ctx["route"].(string))
	}
	ev := map[string]any{"event_type": kindSpan, "level": "info", "message": name, "occurred_at": started, "context": ctx}
	for k, v := range fields {
		ev[k] = v
		ctx[k] = v
	}
	ctx["span_kind"] = kind
	return ev
}

// ---- shared context ----

// commonContext is what every event of an SDK carries: runtime, service and deployment data.
func commonContext(style string, r *rng) map[string]any {
	deploy := map[string]any{"environment": "production", "repository": "acme/shop",
		"commit_sha": "0123456789abcdef0123456789abcdef01234567", "branch": "main"}
	ctx := map[string]any{}
	switch style {
	case styleJS:
		ctx["runtime"] = "node"
		ctx["node"] = map[string]any{"version": "v20.20.2", "platform": "linux", "arch": "x64", "pid": 31000 + r.intn(900)}
		ctx["service"] = "checkout-api"
		ctx["release"] = "checkout-api@2.14.3"
	case stylePython:
		ctx["runtime"] = "python"
		ctx["python_version"] = "3.11.2"
		ctx["python_implementation"] = "CPython"
		ctx["platform"] = "Linux-6.1.0-18-amd64-x86_64-with-glibc2.36"
		ctx["hostname"] = fmt.Sprintf("billing-worker-%d", r.intn(8))
		ctx["process_id"] = 31000 + r.intn(900)
		ctx["runtime_name"] = "/usr/bin/python3"
		ctx["service"] = "billing-worker"
		ctx["release"] = "billing@1.9.0"
	default:
		ctx["runtime"] = map[string]any{"rubyVersion": "3.3.1", "rackVersion": "2.2.8", "platform": "x86_64-linux"}
		ctx["service"] = "storefront"
		ctx["release"] = "storefront@5.2.0"
		ctx["deployment"] = map[string]any{"environment": "production", "service": "storefront", "release": "storefront@5.2.0",
			"hostname": fmt.Sprintf("web-%d", r.intn(8)), "processPid": 32000 + r.intn(900)}
	}
	for k, v := range deploy {
		ctx[k] = v
	}
	return ctx
}

// jsRequest is an Express-style context.request.
func jsRequest(r *rng, method, path string) map[string]any {
	id := fmt.Sprintf("req-%06d", r.intn(1000000))
	return map[string]any{"request_id": id, "method": method, "url": path + "?expand=1", "path": path,
		"query":     map[string]any{"expand": "1"},
		"headers":   map[string]any{"user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "x-request-id": id},
		"remote_ip": fmt.Sprintf("203.0.113.%d", r.intn(250)), "user_agent": "Mozilla/5.0"}
}

// timeLayout is the SDKs' occurred_at format.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

func timestamp(at time.Time, offsetMS int) string {
	return at.Add(-time.Duration(offsetMS) * time.Millisecond).UTC().Format(timeLayout)
}

// traceID is a W3C-style 32-hex trace id.
func traceID(r *rng) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], r.next())
	binary.BigEndian.PutUint64(b[8:], r.next())
	return hex.EncodeToString(b[:])
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// snake turns "ShipmentItem" into "shipment_item".
func snake(s string) string {
	var b strings.Builder
	for i, c := range s {
		if c >= 'A' && c <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

// rng is splitmix64: a tiny deterministic generator, so that every run sends the same corpus.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a number in [0, n); n must be positive.
func (r *rng) intn(n int) int {
	return int((r.next() >> 1) % uint64(n)) //nolint:gosec // n > 0, and the result is below n
}
