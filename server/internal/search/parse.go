package search

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// keys maps every accepted spelling of a key (lowercased, "_" as "-") to its canonical name.
var keys = map[string]string{
	"is":          "is",
	"assigned":    "assigned",
	"assignee":    "assigned",
	"env":         "env",
	"environment": "env",
	"release":     "release",
	"level":       "level",
	"first-seen":  "first-seen",
	"firstseen":   "first-seen",
	"last-seen":   "last-seen",
	"lastseen":    "last-seen",
	"sort":        "sort",
}

var statusNames = map[string]Status{
	"unresolved": StatusUnresolved, "open": StatusUnresolved,
	"new": StatusNew, "introduced-today": StatusNew,
	"resolved": StatusResolved, "ignored": StatusIgnored, "archived": StatusArchived, "all": StatusAll,
}

var sortNames = map[string]Sort{
	"last-seen": SortLastSeen, "lastseen": SortLastSeen,
	"first-seen": SortFirstSeen, "firstseen": SortFirstSeen,
	"count": SortCount, "occurrences": SortCount, "events": SortCount, "frequency": SortCount,
	"trend": SortTrend,
}

// levelSynonyms folds the spellings SDKs use for one level into its name.
var levelSynonyms = map[string]string{"warn": "warning", "critical": "fatal", "crit": "fatal", "err": "error"}

// LevelSpellings returns the stored spellings a level filter value matches: a level's name and
// its synonyms (warning: warning, warn), or the value itself.
func LevelSpellings(level string) []string {
	out := []string{level}
	for syn, name := range levelSynonyms {
		if name == level {
			out = append(out, syn)
		}
	}
	slices.Sort(out[1:])
	return out
}

// Parse parses a query. An empty query gives DefaultFilter. Errors are *Error.
func Parse(query string) (Filter, error) {
	p := &parser{q: query, f: DefaultFilter()}
	if err := p.parse(); err != nil {
		return Filter{}, err
	}
	return p.f, nil
}

type parser struct {
	q string
	f Filter
	// Which keys were given, to refuse conflicting repeats.
	status, assignee, sort bool
	terms                  int
}

// errorAt builds an *Error for the bytes q[start:end].
func (p *parser) errorAt(start, end int, format string, args ...any) error {
	return &Error{
		Offset:  utf8.RuneCountInString(p.q[:start]),
		Length:  utf8.RuneCountInString(p.q[start:end]),
		Message: fmt.Sprintf(format, args...),
	}
}

func (p *parser) parse() error {
	q := p.q
	if len(q) > MaxQueryBytes {
		return p.errorAt(MaxQueryBytes, len(q), "the query is longer than %d bytes", MaxQueryBytes)
	}
	for i, r := range q {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(q[i:], "\uFFFD"):
			return p.errorAt(i, i+1, "the query is not valid UTF-8")
		case unicode.IsControl(r) && !unicode.IsSpace(r):
			return p.errorAt(i, i+utf8.RuneLen(r), "control character %U", r)
		}
	}
	for i := 0; i < len(q); {
		if r, size := utf8.DecodeRuneInString(q[i:]); unicode.IsSpace(r) {
			i += size
			continue
		}
		end, err := p.term(i)
		if err != nil {
			return err
		}
		i = end
	}
	return nil
}

// term parses the term that starts at q[start] and returns where it ends.
func (p *parser) term(start int) (int, error) {
	q := p.q
	p.terms++
	if p.terms > MaxTerms {
		return 0, p.errorAt(start, len(q), "more than %d terms", MaxTerms)
	}
	i := start
	neg := false
	if q[i] == '-' && i+1 < len(q) && !isSpaceAt(q, i+1) {
		neg, i = true, i+1
	}
	if q[i] == '"' {
		text, end, err := p.quoted(i)
		if err != nil {
			return 0, err
		}
		p.addText(text, neg)
		return end, nil
	}

	// key:value? The key is letters, "_" and "-", starting with a letter.
	j := i
	for j < len(q) && isKeyByte(q[j]) {
		j++
	}
	if j > i && j < len(q) && q[j] == ':' && isLetter(q[i]) {
		after := j + 1
		notKey := after < len(q) && (q[after] == ':' || q[after] == '/') // Foo::Bar, http://x
		empty := after == len(q) || isSpaceAt(q, after)
		name := strings.ReplaceAll(strings.ToLower(q[i:j]), "_", "-")
		key, known := keys[name]
		switch {
		case notKey:
		case empty && known:
			return 0, p.errorAt(start, after, "%s: needs a value", key)
		case empty: // "TypeError:" is text
		case !known:
			return 0, p.errorAt(i, j, "unknown key %q (keys: is, assigned, env, release, level, first-seen, last-seen, sort); "+
				"put the text in quotes to search for it", q[i:j])
		default:
			var value string
			var end int
			if q[after] == '"' {
				var err error
				if value, end, err = p.quoted(after); err != nil {
					return 0, err
				}
			} else {
				end = wordEnd(q, after)
				value = q[after:end]
			}
			if strings.TrimSpace(value) == "" {
				return 0, p.errorAt(start, end, "%s: needs a value", key)
			}
			return end, p.filter(key, value, neg, start, end)
		}
	}
	end := wordEnd(q, i)
	p.addText(q[i:end], neg)
	return end, nil
}

// quoted reads the quoted string that starts at q[start] ('"'), and returns its contents and
// where it ends. \" is a quote and \\ a backslash; white space inside collapses to one space.
func (p *parser) quoted(start int) (string, int, error) {
	q := p.q
	var b strings.Builder
	for i := start + 1; i < len(q); i++ {
		switch c := q[i]; {
		case c == '\\' && i+1 < len(q) && (q[i+1] == '"' || q[i+1] == '\\'):
			i++
			b.WriteByte(q[i])
		case c == '"':
			end := i + 1
			if end < len(q) && !isSpaceAt(q, end) {
				return "", 0, p.errorAt(start, wordEnd(q, end), "a quoted value must be followed by a space")
			}
			return strings.Join(strings.Fields(b.String()), " "), end, nil
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, p.errorAt(start, len(q), "unterminated quote")
}

func (p *parser) addText(text string, neg bool) {
	if text == "" {
		return
	}
	if neg {
		p.f.NotText = append(p.f.NotText, text)
	} else {
		p.f.Text = append(p.f.Text, text)
	}
}

// filter applies key:value (start and end delimit the term, for errors).
func (p *parser) filter(key, value string, neg bool, start, end int) error {
	lower := strings.ToLower(value)
	name := strings.ReplaceAll(lower, "_", "-")
	if neg {
		switch key {
		case "env", "release", "level":
		default:
			return p.errorAt(start, end, "%s: cannot be negated", key)
		}
	}
	switch key {
	case "is":
		s, ok := statusNames[name]
		switch {
		case !ok:
			return p.errorAt(start, end, "unknown status %q (is: takes unresolved, new, resolved, ignored, archived or all)", value)
		case p.status && p.f.Status != s:
			return p.errorAt(start, end, "is: given twice (%s and %s)", p.f.Status, s)
		}
		p.f.Status, p.status = s, true
	case "assigned":
		a, ok := assignee(lower)
		switch {
		case !ok:
			return p.errorAt(start, end, "assigned: takes me, none, any, or a member's e-mail address, uuid or id; not %q", value)
		case p.assignee && p.f.Assignee != a:
			return p.errorAt(start, end, "assigned: given twice")
		}
		p.f.Assignee, p.assignee = a, true
	case "env":
		add(&p.f.Environments, lower, neg)
	case "release":
		add(&p.f.Releases, value, neg)
	case "level":
		if n, ok := levelSynonyms[lower]; ok {
			lower = n
		}
		add(&p.f.Levels, lower, neg)
	case "first-seen", "last-seen":
		r := &p.f.FirstSeen
		if key == "last-seen" {
			r = &p.f.LastSeen
		}
		after, before, err := parseWhen(value)
		if err != "" {
			return p.errorAt(start, end, "%s: %s", key, err)
		}
		if !after.IsZero() && !r.After.IsZero() && after != r.After {
			return p.errorAt(start, end, "%s: the lower bound is given twice", key)
		}
		if !before.IsZero() && !r.Before.IsZero() && before != r.Before {
			return p.errorAt(start, end, "%s: the upper bound is given twice", key)
		}
		if !after.IsZero() {
			r.After = after
		}
		if !before.IsZero() {
			r.Before = before
		}
		if a, b := r.After.Date, r.Before.Date; !a.IsZero() && !b.IsZero() && !a.before(b) {
			return p.errorAt(start, end, "%s: the range is empty", key)
		}
	case "sort":
		s, ok := sortNames[name]
		switch {
		case !ok:
			return p.errorAt(start, end, "unknown order %q (sort: takes last-seen, first-seen, count or trend)", value)
		case p.sort && p.f.Sort != s:
			return p.errorAt(start, end, "sort: given twice (%s and %s)", p.f.Sort, s)
		}
		p.f.Sort, p.sort = s, true
	}
	return nil
}

// assignee reads the value of assigned: (lowercased).
func assignee(v string) (Assignee, bool) {
	switch v {
	case "me":
		return Assignee{Kind: AssigneeMe}, true
	case "none", "nobody", "unassigned":
		return Assignee{Kind: AssigneeNone}, true
	case "any", "anyone", "assigned", "someone":
		return Assignee{Kind: AssigneeAny}, true
	}
	if isMember(v) {
		return Assignee{Kind: AssigneeMember, Member: v}, true
	}
	return Assignee{}, false
}

// isMember reports whether v can name a member: an e-mail address, a uuid or a positive id.
func isMember(v string) bool {
	if local, domain, ok := strings.Cut(v, "@"); ok {
		return local != "" && domain != "" && !strings.ContainsAny(v, " \t\"")
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n > 0 && strconv.FormatInt(n, 10) == v
	}
	return isUUID(v)
}

func isUUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case (c < '0' || c > '9') && (c < 'a' || c > 'f'):
			return false
		}
	}
	return true
}

// add adds v to the included or excluded values, keeping them sorted and without repeats.
func add(vs *Values, v string, exclude bool) {
	list := &vs.Include
	if exclude {
		list = &vs.Exclude
	}
	if i, found := slices.BinarySearch(*list, v); !found {
		*list = slices.Insert(*list, i, v)
	}
}

// Limits of ages in first-seen: and last-seen:.
const maxAge = 10 * 366 * 24 * time.Hour

// parseWhen reads the value of first-seen: or last-seen:. err is "" on success.
func parseWhen(v string) (after, before Bound, err string) {
	if a, b, ok := strings.Cut(v, ".."); ok {
		from, ok1 := parseDate(a)
		to, ok2 := parseDate(b)
		switch {
		case !ok1 || !ok2:
			return Bound{}, Bound{}, fmt.Sprintf("%q is not a range of days (YYYY-MM-DD..YYYY-MM-DD)", v)
		case to.before(from):
			return Bound{}, Bound{}, fmt.Sprintf("the range %q is empty", v)
		}
		return Bound{Date: from}, Bound{Date: to.AddDays(1)}, ""
	}
	op := ""
	for _, o := range [...]string{">=", "<=", ">", "<", "+", "-"} {
		if strings.HasPrefix(v, o) {
			op, v = o, v[len(o):]
			break
		}
	}
	if d, ok := parseAge(v); ok {
		switch op {
		case "<", "<=", "-":
			return Bound{Age: d}, Bound{}, ""
		case ">", ">=", "+":
			return Bound{}, Bound{Age: d}, ""
		}
		return Bound{}, Bound{}, fmt.Sprintf("say <%s (less than %s ago) or >%s (more than %s ago)", v, v, v, v)
	}
	if d, ok := parseDate(v); ok {
		switch op {
		case "":
			return Bound{Date: d}, Bound{Date: d.AddDays(1)}, ""
		case ">":
			return Bound{Date: d.AddDays(1)}, Bound{}, ""
		case ">=":
			return Bound{Date: d}, Bound{}, ""
		case "<":
			return Bound{}, Bound{Date: d}, ""
		case "<=":
			return Bound{}, Bound{Date: d.AddDays(1)}, ""
		}
	}
	if t, e := time.Parse(time.RFC3339Nano, v); e == nil && t.Year() >= 1970 && t.Year() <= 9999 {
		switch op {
		case ">", ">=":
			return Bound{Time: t.UTC()}, Bound{}, ""
		case "<", "<=":
			return Bound{}, Bound{Time: t.UTC()}, ""
		}
		return Bound{}, Bound{}, fmt.Sprintf("compare an instant with < or >, as in >%s", v)
	}
	return Bound{}, Bound{}, fmt.Sprintf("%q is neither an age (24h, 7d) nor a day (YYYY-MM-DD)", v)
}

// parseAge reads "30m", "24h", "7d", "2w".
func parseAge(v string) (time.Duration, bool) {
	if len(v) < 2 || len(v) > 8 {
		return 0, false
	}
	n, err := strconv.Atoi(v[:len(v)-1])
	if err != nil || n <= 0 || v[0] == '+' || v[0] == '-' {
		return 0, false
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[v[len(v)-1]]
	if unit == 0 || time.Duration(n) > maxAge/unit {
		return 0, false
	}
	return time.Duration(n) * unit, true
}

// parseDate reads YYYY-MM-DD.
func parseDate(v string) (Date, bool) {
	t, err := time.Parse(time.DateOnly, v)
	if err != nil || t.Year() < 1970 {
		return Date{}, false
	}
	return Date{t.Year(), t.Month(), t.Day()}, true
}

func wordEnd(q string, i int) int {
	for i < len(q) && !isSpaceAt(q, i) {
		_, size := utf8.DecodeRuneInString(q[i:])
		i += size
	}
	return i
}

func isSpaceAt(q string, i int) bool {
	r, _ := utf8.DecodeRuneInString(q[i:])
	return unicode.IsSpace(r)
}

func isLetter(c byte) bool  { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isKeyByte(c byte) bool { return isLetter(c) || c == '_' || c == '-' }
