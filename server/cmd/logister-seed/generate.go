package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"
)

// The history the seeder writes: one project's error groups and error events over a window of
// days, shaped like a real application's.
//
//   - Releases: 12, deployed at even intervals through the window ("1.0.0" … "1.11.0"); an event
//     belongs to the release deployed last before it.
//   - Groups: 30 % are older than the window (they occur from its start), 60 % are born shortly
//     after a deployment (a new bug), 10 % at any time; 45 % still occur now, the others stopped
//     after a log-normal lifetime (median 36 h). Occurrence rates follow a Zipf law (exponent
//     1.05) and a group's count is its rate times its life, so a few groups hold most events,
//     every group has at least one, and the project's daily volume stays about level.
//   - Events: spread evenly over their group's life; 90 % in the group's main environment
//     (production 65 %, staging 25 %, development 7 %, qa eu 3 % of groups), the others anywhere.
//   - Levels per group: error 70 %, warning 15 % (half of them spelled "warn"), info 8 %, fatal 5 %
//     (or "critical"), debug 2 %.
//   - Triage: groups that stopped more than a day ago are resolved (55 %), ignored (15 %),
//     archived (6 %) or left open, closed after their last event; 30 % of open groups and 15 % of
//     the others are assigned to one of 6 members.
//   - Fingerprints: server fingerprints (32 hex) for 92 % of groups, client ones for the rest.
//     Titles are the latest occurrence's message; messages vary within a group (ids, amounts).

// history is the generated data.
type history struct {
	Start, Now time.Time
	Releases   []release
	Groups     []*group
	Events     []event // sorted by time
}

type release struct {
	Name string
	At   time.Time
}

type group struct {
	Index       int
	Fingerprint string
	Version     int // grouping version: 0 for client fingerprints
	Template    int // index in templates
	Subtitle    string
	Runtime     string
	Level       string
	Env         string // main environment
	Birth, End  time.Time
	Ongoing     bool
	Count       int

	// Aggregates of its events.
	First, Last   time.Time
	LatestEvent   int // index in history.Events
	FirstRelease  string
	Status        string
	ClosedAt      time.Time // resolved_at, ignored_at or archived_at
	Assignee      int       // index of the member, -1 when unassigned
	AssignedAt    time.Time
	ReopenCount   int
	LastReopenAt  time.Time
	ID            int64 // set once stored
	ContextPrefix []byte
}

type event struct {
	Group   int32
	At      int64 // unix microseconds
	Env     uint8
	Release uint8
	Var     uint32 // the variable part of the message
}

var environments = []string{"production", "staging", "development", "qa eu"}

var envWeights = []float64{0.65, 0.25, 0.07, 0.03}

var levelWeights = []struct {
	level  string
	weight float64
}{{"error", 0.70}, {"warning", 0.075}, {"warn", 0.075}, {"info", 0.08}, {"fatal", 0.03}, {"critical", 0.02}, {"debug", 0.02}}

// templates are the messages of the groups' exceptions: a type, a message with a variable number,
// and a runtime whose stack shape the context imitates.
var templates = []struct {
	Type, Message, Runtime string
}{
	{"TypeError", "Cannot read properties of undefined (reading 'total') in cart %d", "node"},
	{"TypeError", "order.items is not iterable (order %d)", "node"},
	{"RangeError", "Invalid time value for booking %d", "node"},
	{"Error", "Request failed with status code 502 after %d ms", "node"},
	{"SyntaxError", "Unexpected token < in JSON at position %d", "node"},
	{"PaymentDeclinedError", "card declined for amount %d", "node"},
	{"KeyError", "'customer_%d'", "python"},
	{"ValueError", "invalid literal for int() with base 10: 'abc%d'", "python"},
	{"ConnectionError", "HTTPSConnectionPool(host='api.stripe.com', port=443): Read timed out after %d s", "python"},
	{"IntegrityError", "duplicate key value violates unique constraint \"orders_number_key\" (order %d)", "python"},
	{"TimeoutError", "Timeout after %dms contacting the inventory service", "python"},
	{"PermissionError", "[Errno 13] Permission denied: '/var/data/export-%d.csv'", "python"},
	{"NoMethodError", "undefined method 'cents' for nil (invoice %d)", "ruby"},
	{"ActiveRecord::RecordNotFound", "Couldn't find Order with 'id'=%d", "ruby"},
	{"Net::ReadTimeout", "Net::ReadTimeout with #<TCPSocket:(closed)> after %d s", "ruby"},
	{"ActionController::InvalidAuthenticityToken", "Can't verify CSRF token authenticity for session %d", "ruby"},
	{"Redis::CannotConnectError", "Error connecting to Redis on 10.0.0.%d:6379 (Errno::ECONNREFUSED)", "ruby"},
	{"System.NullReferenceException", "Object reference not set to an instance of an object (cart %d)", "dotnet"},
	{"System.InvalidOperationException", "Order %d is already paid.", "dotnet"},
	{"System.TimeoutException", "The operation has timed out after %d ms.", "dotnet"},
	{"java.lang.IllegalStateException", "Could not execute method for android:onClick (view %d)", "java"},
	{"java.lang.NullPointerException", "Attempt to invoke virtual method 'int java.lang.String.length()' on a null object reference (%d)", "java"},
	{"Expression", "Variable ORDERTOTAL is undefined (line %d).", "cfml"},
	{"DatabaseError", "deadlock detected while updating stock of product %d", "python"},
}

// modules name the parts of the application, to make titles and stacks of one template differ.
var modules = []string{"checkout", "cart", "billing", "search", "accounts", "inventory", "shipping", "reports",
	"notifications", "auth", "catalog", "pricing", "orders", "webhooks", "exports", "admin"}

// generate builds the history. It is deterministic for a seed and now.
func generate(events, groups, days int, seed uint64, now time.Time) *history {
	r := rand.New(rand.NewPCG(seed, seed^0x6c6f6769737465)) //nolint:gosec // reproducible test data, not secrets
	now = now.UTC().Truncate(time.Second)
	h := &history{Now: now, Start: now.Add(-time.Duration(days) * 24 * time.Hour)}
	window := h.Now.Sub(h.Start)
	const nReleases = 12
	for i := range nReleases {
		at := h.Start.Add(window * time.Duration(i) / nReleases).Add(time.Duration(r.IntN(3600)) * time.Second)
		h.Releases = append(h.Releases, release{Name: fmt.Sprintf("1.%d.0", i), At: at})
	}

	// Occurrence rates follow a Zipf law; a group's count is its rate times its life, so that the
	// project's daily volume stays about level, as an application's error rate does.
	rates := zipfWeights(r, groups, 1.05)
	lives := make([]float64, groups)
	for i := range groups {
		g := &group{Index: i, Assignee: -1}
		t := r.IntN(len(templates))
		g.Template, g.Subtitle, g.Runtime = t, templates[t].Type, templates[t].Runtime
		g.Env = environments[pick(r, envWeights)]
		g.Level = pickLevel(r)
		if r.Float64() < 0.08 {
			g.Fingerprint = fmt.Sprintf("%s-%s-%d", modules[r.IntN(len(modules))], "client", i)
		} else {
			sum := sha256.Sum256([]byte("seed group " + strconv.Itoa(i) + " " + strconv.FormatUint(seed, 10)))
			g.Fingerprint, g.Version = hex.EncodeToString(sum[:16]), 1
		}
		switch x := r.Float64(); {
		case x < 0.3: // older than the window: it occurs from the start
			g.Birth = h.Start
		case x < 0.4: // not tied to a deployment
			g.Birth = h.Start.Add(time.Duration(r.Int64N(int64(window))))
		default: // a bug shipped with a release
			rel := h.Releases[r.IntN(nReleases)].At
			g.Birth = minTime(rel.Add(time.Duration(r.ExpFloat64()*8*float64(time.Hour))), now.Add(-time.Minute))
		}
		g.Ongoing = r.Float64() < 0.45
		if g.Ongoing {
			g.End = now
		} else {
			life := time.Duration(math.Exp(r.NormFloat64()*1.2) * 36 * float64(time.Hour))
			g.End = minTime(g.Birth.Add(life+time.Minute), now)
		}
		lives[i] = max(g.End.Sub(g.Birth).Hours(), 1)
		g.ContextPrefix = contextPrefix(r, g)
		h.Groups = append(h.Groups, g)
	}
	weights := make([]float64, groups)
	for i := range weights {
		weights[i] = rates[i] * lives[i]
	}
	for i, n := range spread(weights, events) {
		h.Groups[i].Count = n
	}

	h.Events = make([]event, 0, events)
	for _, g := range h.Groups {
		span := g.End.Sub(g.Birth)
		for range g.Count {
			at := g.Birth.Add(time.Duration(r.Int64N(int64(span) + 1)))
			env := slices.Index(environments, g.Env)
			if r.Float64() < 0.1 {
				env = pick(r, envWeights)
			}
			h.Events = append(h.Events, event{Group: int32(g.Index), At: at.UnixMicro(), Env: uint8(env), //nolint:gosec // small
				Release: uint8(h.releaseAt(at)), Var: uint32(r.IntN(9000) + 100)}) //nolint:gosec // small
		}
	}
	slices.SortFunc(h.Events, func(a, b event) int {
		if a.At != b.At {
			return cmpInt(a.At, b.At)
		}
		return cmpInt(int64(a.Group), int64(b.Group))
	})

	for i, e := range h.Events {
		g := h.Groups[e.Group]
		at := time.UnixMicro(e.At).UTC()
		if g.First.IsZero() {
			g.First, g.FirstRelease = at, h.Releases[e.Release].Name
		}
		g.Last, g.LatestEvent = at, i
	}
	for _, g := range h.Groups {
		g.Status = "unresolved"
		stopped := !g.Ongoing && g.Last.Before(now.Add(-24*time.Hour))
		closeAt := minTime(g.Last.Add(time.Duration(1+r.IntN(48))*time.Hour), now.Add(-time.Minute))
		switch x := r.Float64(); {
		case stopped && x < 0.55:
			g.Status, g.ClosedAt = "resolved", closeAt
		case stopped && x < 0.70:
			g.Status, g.ClosedAt = "ignored", closeAt
		case stopped && x < 0.76:
			g.Status, g.ClosedAt = "archived", closeAt
		}
		if g.Status == "unresolved" && g.Ongoing && r.Float64() < 0.05 && g.Last.Sub(g.First) > 2*time.Hour {
			g.ReopenCount, g.LastReopenAt = 1, g.First.Add(g.Last.Sub(g.First)/2)
		}
		share := 0.15
		if g.Status == "unresolved" {
			share = 0.30
		}
		if r.Float64() < share {
			g.Assignee = r.IntN(members)
			g.AssignedAt = g.First.Add(time.Duration(r.Int64N(int64(g.Last.Sub(g.First)) + 1)))
		}
	}
	return h
}

// members is how many users the seeder creates to assign groups to.
const members = 6

// releaseAt returns the index of the release deployed last at or before t (the first one before
// any deployment).
func (h *history) releaseAt(t time.Time) int {
	i := 0
	for j, rel := range h.Releases {
		if !rel.At.After(t) {
			i = j
		}
	}
	return i
}

// message is an event's message (and, for the latest event, its group's title).
func (h *history) message(e *event) string {
	g := h.Groups[e.Group]
	return fmt.Sprintf(templates[g.Template].Message, e.Var) + " [" + modules[g.Index%len(modules)] + "]"
}

// zipfWeights returns n weights following a Zipf law of exponent s, shuffled.
func zipfWeights(r *rand.Rand, n int, s float64) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / math.Pow(float64(i+1), s)
	}
	r.Shuffle(n, func(i, j int) { w[i], w[j] = w[j], w[i] })
	return w
}

// spread splits total into one count of at least 1 per weight, in proportion to the weights.
func spread(weights []float64, total int) []int {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	counts := make([]int, len(weights))
	left := total
	for i, w := range weights {
		counts[i] = 1 + int(float64(total-len(weights))*w/sum)
		left -= counts[i]
	}
	// Rounding: the remainder goes to the heaviest groups, one each.
	order := make([]int, len(weights))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(weights[b], weights[a]) })
	for i := 0; left > 0; i = (i + 1) % len(order) {
		counts[order[i]]++
		left--
	}
	return counts
}

func pick(r *rand.Rand, weights []float64) int {
	x := r.Float64()
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func pickLevel(r *rand.Rand) string {
	x := r.Float64()
	for _, l := range levelWeights {
		if x < l.weight {
			return l.level
		}
		x -= l.weight
	}
	return "error"
}

// contextPrefix is the part of a group's event contexts that does not vary: the exception's type
// and a stack in the shape of its runtime, up to the exception's message. Each event appends its
// message, environment, release and ids (eventContext).
func contextPrefix(r *rand.Rand, g *group) []byte {
	mod := modules[g.Index%len(modules)]
	var frames string
	switch g.Runtime {
	case "node":
		frames = fmt.Sprintf(`"frames":[{"name":"%[1]sHandler","filename":"/srv/app/src/%[1]s/handler.js","lineno":%[2]d,"colno":11},`+
			`{"name":"Layer.handle","filename":"/srv/app/node_modules/express/lib/router/layer.js","lineno":95,"colno":5},`+
			`{"name":"next","filename":"/srv/app/node_modules/express/lib/router/route.js","lineno":149,"colno":13}]`, mod, 10+r.IntN(300))
	case "python":
		frames = fmt.Sprintf(`"frames":[{"filename":"/srv/app/%[1]s/views.py","lineno":%[2]d,"name":"handle","line":"result = service.run(request)"},`+
			`{"filename":"/srv/app/%[1]s/service.py","lineno":%[3]d,"name":"run","line":"return self.client.fetch(key)"}]`, mod, 10+r.IntN(300), 10+r.IntN(300))
	case "ruby":
		frames = fmt.Sprintf(`"backtrace":["/app/app/services/%[1]s.rb:%[2]d:in 'call'","/app/app/controllers/%[1]s_controller.rb:%[3]d:in 'create'",`+
			`"/usr/local/bundle/gems/actionpack-8.0.1/lib/action_controller/metal/basic_implicit_render.rb:8:in 'send_action'"]`, mod, 10+r.IntN(300), 10+r.IntN(90))
	case "dotnet":
		frames = fmt.Sprintf(`"stack_trace":"   at Shop.%[1]s.Service.Run() in /src/Shop/%[1]s/Service.cs:line %[2]d\n   at Shop.Api.Controller.Post() in /src/Shop.Api/Controller.cs:line 34"`, mod, 10+r.IntN(300))
	case "java":
		frames = fmt.Sprintf(`"stack":"java.lang.RuntimeException\n\tat com.example.%[1]s.Service.run(Service.java:%[2]d)\n\tat android.view.View.performClick(View.java:7448)"`, mod, 10+r.IntN(300))
	default:
		frames = fmt.Sprintf(`"tagContext":[{"template":"/var/www/%[1]s/index.cfm","line":%[2]d}]`, mod, 10+r.IntN(300))
	}
	return fmt.Appendf(nil, `{"runtime":%q,"service":"shop-%s","exception":{"class":%q,%s,"message":`, g.Runtime, mod, g.Subtitle, frames)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
