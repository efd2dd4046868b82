package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/logister/logister/server/internal/search"
)

// The inbox: a project's error groups, filtered and sorted as a search.Filter says, a page at a
// time, with counts per status and occurrence sparklines (issue 6; reference §6.2).
//
// Every query runs in a read-only transaction with JIT compilation off (its start-up costs tens
// of milliseconds, more than these queries take) and custom plans (the text-search patterns decide
// whether the trigram index pays).

// ErrInvalidCursor is returned (wrapped, with the reason) for a cursor that is malformed, was
// altered, or was made for another sort order, filter or project.
var ErrInvalidCursor = errors.New("store: invalid cursor")

// Page sizes of ListGroups.
const (
	DefaultInboxLimit = 50
	MaxInboxLimit     = 100
)

// InboxQuery is what the inbox is asked for.
type InboxQuery struct {
	// Filter is the parsed search (search.Parse); its Sort orders the list.
	Filter search.Filter
	// ViewerID is the signed-in user, whom assigned:me means; 0 matches no group.
	ViewerID int64
	// Now is the time ages, "today" and trends are measured from; zero means time.Now().
	Now time.Time
	// Location is the viewer's time zone, for "today" (is:new), days in date filters and daily
	// sparkline buckets; nil means UTC.
	Location *time.Location
}

func (q *InboxQuery) normalize() {
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	if q.Location == nil {
		q.Location = time.UTC
	}
	if q.Filter.Status == "" {
		q.Filter.Status = search.StatusUnresolved
	}
	if q.Filter.Sort == "" {
		q.Filter.Sort = search.SortLastSeen
	}
}

// InboxGroup is one row of the inbox.
type InboxGroup struct {
	ID              int64
	UUID            uuid.UUID
	Fingerprint     string
	GroupingVersion int
	Title           string
	Subtitle        string // the exception type; "" when unknown
	Environment     string // of the latest occurrence (the stage)
	Level           string // of the latest occurrence (the severity)
	Status          string // unresolved, resolved, ignored or archived
	OccurrenceCount int64
	FirstSeenAt     time.Time
	LastSeenAt      time.Time
	ResolvedAt      *time.Time
	IgnoredAt       *time.Time
	ArchivedAt      *time.Time
	ReopenCount     int
	LastReopenedAt  *time.Time
	// IntroducedInRelease and LastSeenRelease are "" when the occurrences named no release.
	IntroducedInRelease string
	LastSeenRelease     string
	AssignedUserID      *int64
	AssignedAt          *time.Time
	LatestEventID       *uuid.UUID
	// Last24h and Previous24h count the occurrences of the last 24 hours before Now and of the 24
	// hours before those; only the trend sort fills them. Their difference is the trend.
	Last24h     int64
	Previous24h int64
}

// InboxPage is one page of ListGroups.
type InboxPage struct {
	Groups []InboxGroup
	// NextCursor fetches the next page; "" on the last page.
	NextCursor string
}

// ListGroups returns a page of the project's error groups that match q.Filter, in its order
// (descending, ties broken by descending id), after the position cursor names ("" for the first
// page). limit is clamped to 1..MaxInboxLimit; 0 means DefaultInboxLimit.
//
// Paging is by keyset: a cursor holds the sort key and id of the last row of its page, and is
// bound to the order, the filter and the project (ErrInvalidCursor otherwise). Rows that change
// meanwhile (a group seen again moves up in last-seen order; trends move) may be skipped or
// repeated, as in any keyset pagination of live data.
func (s *Store) ListGroups(ctx context.Context, projectID int64, q InboxQuery, cursor string, limit int) (*InboxPage, error) {
	q.normalize()
	switch {
	case limit <= 0:
		limit = DefaultInboxLimit
	case limit > MaxInboxLimit:
		limit = MaxInboxLimit
	}
	digest := filterDigest(projectID, q.Filter)
	var after *cursorKey
	if cursor != "" {
		k, err := decodeCursor(cursor, q.Filter.Sort, digest)
		if err != nil {
			return nil, err
		}
		after = &k
	}

	b := newInboxSQL(projectID, q)
	b.where(b.statusCondition())
	sortExpr := b.sortExpression()
	if after != nil {
		var key string
		if q.Filter.Sort == search.SortLastSeen || q.Filter.Sort == search.SortFirstSeen {
			key = b.arg(time.UnixMicro(after.key).UTC())
		} else {
			key = b.arg(after.key)
		}
		// "key <= k AND (key < k OR id < i)" rather than a row comparison, so that an index on the
		// sort key bounds the scan.
		b.where(fmt.Sprintf("%[1]s <= %[2]s AND (%[1]s < %[2]s OR g.id < %[3]s)", sortExpr, key, b.arg(after.id)))
	}
	trendCols := "0::bigint, 0::bigint"
	if q.Filter.Sort == search.SortTrend {
		trendCols = "coalesce(t.last_24h, 0), coalesce(t.previous_24h, 0)"
	}
	from := b.from()
	sql := b.with + "SELECT " + inboxColumns + ", " + trendCols + " FROM " + from +
		" WHERE " + b.conditions() +
		" ORDER BY " + sortExpr + " DESC, g.id DESC LIMIT " + strconv.Itoa(limit+1)

	page := &InboxPage{Groups: make([]InboxGroup, 0, limit)}
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, b.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			g, err := scanInboxGroup(rows)
			if err != nil {
				return err
			}
			page.Groups = append(page.Groups, g)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: list groups: %w", err)
	}
	if len(page.Groups) > limit {
		page.Groups = page.Groups[:limit]
		last := page.Groups[limit-1]
		page.NextCursor = encodeCursor(q.Filter.Sort, sortKey(q.Filter.Sort, &last), last.ID, digest)
	}
	return page, nil
}

// StatusCounts counts the groups of each status of the inbox's sidebar.
type StatusCounts struct {
	Unresolved int64 `json:"unresolved"`
	New        int64 `json:"new"` // unresolved and first seen today
	Resolved   int64 `json:"resolved"`
	Ignored    int64 `json:"ignored"`
	Archived   int64 `json:"archived"`
	All        int64 `json:"all"`
}

// CountGroupsByStatus counts the project's groups that match q.Filter, status aside, per status.
func (s *Store) CountGroupsByStatus(ctx context.Context, projectID int64, q InboxQuery) (StatusCounts, error) {
	q.normalize()
	b := newInboxSQL(projectID, q)
	today := b.arg(b.resolved.Today)
	sql := `SELECT count(*) FILTER (WHERE g.status = 'unresolved'),
		count(*) FILTER (WHERE g.status = 'unresolved' AND g.first_seen_at >= ` + today + `),
		count(*) FILTER (WHERE g.status = 'resolved'),
		count(*) FILTER (WHERE g.status = 'ignored'),
		count(*) FILTER (WHERE g.status = 'archived'),
		count(*)
		FROM ` + b.from() + ` WHERE ` + b.conditions()
	var c StatusCounts
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, sql, b.args...).Scan(&c.Unresolved, &c.New, &c.Resolved, &c.Ignored, &c.Archived, &c.All)
	})
	if err != nil {
		return StatusCounts{}, fmt.Errorf("store: count groups: %w", err)
	}
	return c, nil
}

// SparklinePeriod is the span of a sparkline.
type SparklinePeriod string

// The sparklines of the inbox.
const (
	SparklineDay  SparklinePeriod = "24h" // 24 hourly buckets, the last one the current hour
	SparklineWeek SparklinePeriod = "7d"  // 7 daily buckets, the last one today (viewer's time zone)
)

// Sparklines are occurrence counts per bucket of time.
type Sparklines struct {
	// Buckets holds the start of each bucket, oldest first; the last bucket ends at End.
	Buckets []time.Time
	End     time.Time
	// Counts holds, for each requested group of the project, one count per bucket (zeros
	// included); groups of other projects, or that do not exist, are absent.
	Counts map[int64][]int64
}

// GroupSparklines counts the occurrences of the given groups of the project per bucket, in one
// query: 24 hourly buckets ending with the current hour, or 7 daily buckets ending with today in
// loc (UTC when nil). Occurrences are placed by their occurred_at.
func (s *Store) GroupSparklines(ctx context.Context, projectID int64, groupIDs []int64, period SparklinePeriod, now time.Time, loc *time.Location) (*Sparklines, error) {
	if now.IsZero() {
		now = time.Now()
	}
	if loc == nil {
		loc = time.UTC
	}
	var buckets []time.Time
	var end time.Time
	switch period {
	case SparklineDay:
		t := now.In(loc)
		end = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), 0, 0, 0, loc).Add(time.Hour)
		for i := 24; i >= 1; i-- {
			buckets = append(buckets, end.Add(-time.Duration(i)*time.Hour))
		}
	case SparklineWeek:
		today := search.Today(now, loc)
		end = today.AddDays(1).In(loc)
		for i := 6; i >= 0; i-- {
			buckets = append(buckets, today.AddDays(-i).In(loc))
		}
	default:
		return nil, fmt.Errorf("store: group sparklines: unknown period %q", period)
	}
	out := &Sparklines{Buckets: buckets, End: end, Counts: make(map[int64][]int64, len(groupIDs))}
	if len(groupIDs) == 0 {
		return out, nil
	}
	// The groups are checked against the project first; error_events_group_idx then serves the
	// counts from the index alone.
	const sql = `
		WITH g AS (SELECT id FROM error_groups WHERE project_id = $1 AND id = ANY($2::bigint[]))
		SELECT g.id, c.bucket, coalesce(c.n, 0)
		FROM g LEFT JOIN (
			SELECT e.error_group_id, width_bucket(e.occurred_at, $3::timestamptz[]) AS bucket, count(*) AS n
			FROM error_events e
			WHERE e.error_group_id = ANY(ARRAY(SELECT id FROM g)) AND e.occurred_at >= $4 AND e.occurred_at < $5
			GROUP BY 1, 2
		) c ON c.error_group_id = g.id`
	err := s.readTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, sql, projectID, groupIDs, buckets, buckets[0], end)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, n int64
			var bucket pgtype.Int4
			if err := rows.Scan(&id, &bucket, &n); err != nil {
				return err
			}
			counts := out.Counts[id]
			if counts == nil {
				counts = make([]int64, len(buckets))
				out.Counts[id] = counts
			}
			if i := int(bucket.Int32) - 1; bucket.Valid && i >= 0 && i < len(counts) {
				counts[i] = n
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store: group sparklines: %w", err)
	}
	return out, nil
}

// readTx runs fn in a read-only transaction set up for the inbox's queries.
func (s *Store) readTx(ctx context.Context, fn func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.Pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_custom_plan', true)"); err != nil {
			return err
		}
		return fn(tx)
	})
}

// inboxColumns are the columns of InboxGroup, in scanInboxGroup's order.
const inboxColumns = `g.id, g.uuid, g.fingerprint, g.grouping_version, g.title, coalesce(g.subtitle, ''), g.stage,
	g.severity, g.status, g.occurrence_count, g.first_seen_at, g.last_seen_at, g.resolved_at, g.ignored_at,
	g.archived_at, g.reopen_count, g.last_reopened_at, coalesce(g.introduced_in_release, ''),
	coalesce(g.last_seen_release, ''), g.assigned_user_id, g.assigned_at, g.latest_event_id`

func scanInboxGroup(rows pgx.Rows) (InboxGroup, error) {
	var g InboxGroup
	var version int16
	var latest pgtype.UUID
	err := rows.Scan(&g.ID, &g.UUID, &g.Fingerprint, &version, &g.Title, &g.Subtitle, &g.Environment,
		&g.Level, &g.Status, &g.OccurrenceCount, &g.FirstSeenAt, &g.LastSeenAt, &g.ResolvedAt, &g.IgnoredAt,
		&g.ArchivedAt, &g.ReopenCount, &g.LastReopenedAt, &g.IntroducedInRelease,
		&g.LastSeenRelease, &g.AssignedUserID, &g.AssignedAt, &latest, &g.Last24h, &g.Previous24h)
	g.GroupingVersion = int(version)
	if latest.Valid {
		id := uuid.UUID(latest.Bytes)
		g.LatestEventID = &id
	}
	return g, err
}

// inboxSQL builds the FROM and WHERE clauses of the inbox's queries from a filter.
type inboxSQL struct {
	q         InboxQuery
	projectID int64
	resolved  search.Resolved
	args      []any
	conds     []string
	search    bool   // join error_group_search as s
	trend     bool   // join the trend counts as t
	with      string // the WITH clause of the trend counts
}

func newInboxSQL(projectID int64, q InboxQuery) *inboxSQL {
	b := &inboxSQL{q: q, projectID: projectID, resolved: q.Filter.Resolve(q.Now, q.Location)}
	f := q.Filter
	b.where("g.project_id = " + b.arg(projectID))

	switch f.Assignee.Kind {
	case search.AssigneeMe:
		if q.ViewerID == 0 {
			b.where("false")
		} else {
			b.where("g.assigned_user_id = " + b.arg(q.ViewerID))
		}
	case search.AssigneeNone:
		b.where("g.assigned_user_id IS NULL")
	case search.AssigneeAny:
		b.where("g.assigned_user_id IS NOT NULL")
	case search.AssigneeMember:
		b.where("g.assigned_user_id = (" + b.memberLookup(f.Assignee.Member) + ")")
	}

	b.values("lower(g.stage)", f.Environments, true)
	b.values("g.last_seen_release", f.Releases, true, "g.introduced_in_release")
	var levels search.Values
	for _, l := range f.Levels.Include {
		levels.Include = append(levels.Include, search.LevelSpellings(l)...)
	}
	for _, l := range f.Levels.Exclude {
		levels.Exclude = append(levels.Exclude, search.LevelSpellings(l)...)
	}
	b.values("lower(g.severity)", levels, true)

	r := b.resolved
	for _, c := range []struct {
		col   string
		op    string
		bound time.Time
	}{
		{"g.first_seen_at", ">=", r.FirstSeenAfter}, {"g.first_seen_at", "<", r.FirstSeenBefore},
		{"g.last_seen_at", ">=", r.LastSeenAfter}, {"g.last_seen_at", "<", r.LastSeenBefore},
	} {
		if !c.bound.IsZero() {
			b.where(c.col + " " + c.op + " " + b.arg(c.bound))
		}
	}

	for _, t := range f.Text {
		b.search = true
		b.where("s.document LIKE " + b.likePattern(t))
	}
	for _, t := range f.NotText {
		b.search = true
		b.where("s.document NOT LIKE " + b.likePattern(t))
	}
	return b
}

// arg adds a query parameter and returns its placeholder.
func (b *inboxSQL) arg(v any) string {
	b.args = append(b.args, v)
	return "$" + strconv.Itoa(len(b.args))
}

func (b *inboxSQL) where(cond string) { b.conds = append(b.conds, cond) }

func (b *inboxSQL) conditions() string { return strings.Join(b.conds, " AND ") }

// statusCondition is the condition of the filter's status (is:).
func (b *inboxSQL) statusCondition() string {
	switch b.q.Filter.Status {
	case search.StatusNew:
		return "g.status = 'unresolved' AND g.first_seen_at >= " + b.arg(b.resolved.Today)
	case search.StatusAll:
		return "true"
	}
	return "g.status = " + b.arg(string(b.q.Filter.Status))
}

// sortExpression returns the expression the filter's sort orders by (before g.id).
func (b *inboxSQL) sortExpression() string {
	switch b.q.Filter.Sort {
	case search.SortFirstSeen:
		return "g.first_seen_at"
	case search.SortCount:
		return "g.occurrence_count"
	case search.SortTrend:
		b.trend = true
		return "(coalesce(t.last_24h, 0) - coalesce(t.previous_24h, 0))"
	}
	return "g.last_seen_at"
}

// from returns the FROM clause: the groups, their search documents when text is searched, and
// their trend counts when sorting by trend (whose WITH clause it sets).
func (b *inboxSQL) from() string {
	from := "error_groups g"
	if b.search {
		from += " JOIN error_group_search s ON s.error_group_id = g.id"
	}
	if b.trend {
		// The project's occurrences of the last 48 hours, per group: one index-only range scan of
		// error_events_project_idx (which includes the group id) and a hash aggregate. Groups
		// without any have no row: their trend is 0.
		now := b.q.Now
		from48, from24, until := b.arg(now.Add(-48*time.Hour)), b.arg(now.Add(-24*time.Hour)), b.arg(now)
		b.with = `WITH t AS (
			SELECT e.error_group_id,
			       count(*) FILTER (WHERE e.occurred_at >= ` + from24 + `) AS last_24h,
			       count(*) FILTER (WHERE e.occurred_at < ` + from24 + `) AS previous_24h
			FROM error_events e
			WHERE e.project_id = ` + b.arg(b.projectID) + ` AND e.occurred_at >= ` + from48 + ` AND e.occurred_at < ` + until + `
			GROUP BY e.error_group_id
		) `
		from += " LEFT JOIN t ON t.error_group_id = g.id"
	}
	return from
}

// values adds the conditions of an include/exclude filter on expression expr (and on alsoExpr,
// any of which may match). Values with * are LIKE patterns. With lower, the values are lowercased
// by PostgreSQL, as the expressions are (lower() follows the database's character type).
func (b *inboxSQL) values(expr string, vs search.Values, lower bool, alsoExpr ...string) {
	param := func(list []string) string {
		p := b.arg(list) + "::text[]"
		if lower {
			p = "ARRAY(SELECT lower(x) FROM unnest(" + p + ") x)"
		}
		return p
	}
	match := func(values []string) string {
		var exact, patterns []string
		for _, v := range values {
			if strings.Contains(v, "*") {
				patterns = append(patterns, strings.ReplaceAll(escapeLike(v), "*", "%"))
			} else {
				exact = append(exact, v)
			}
		}
		var parts []string
		for _, e := range append([]string{expr}, alsoExpr...) {
			if len(exact) > 0 {
				parts = append(parts, e+" = ANY("+param(exact)+")")
			}
			if len(patterns) > 0 {
				parts = append(parts, e+" LIKE ANY("+param(patterns)+")")
			}
		}
		return "coalesce(" + strings.Join(parts, " OR ") + ", false)"
	}
	if len(vs.Include) > 0 {
		b.where(match(vs.Include))
	}
	if len(vs.Exclude) > 0 {
		b.where("NOT " + match(vs.Exclude))
	}
}

// likePattern returns the parameter of a case-insensitive substring pattern for text.
func (b *inboxSQL) likePattern(text string) string {
	return "('%' || lower(" + b.arg(escapeLike(text)) + "::text) || '%')"
}

// memberLookup returns a subquery for the id of the user an assigned: value names.
func (b *inboxSQL) memberLookup(member string) string {
	if strings.Contains(member, "@") {
		return "SELECT id FROM users WHERE email = lower(" + b.arg(member) + "::text)"
	}
	if id, err := strconv.ParseInt(member, 10, 64); err == nil {
		return "SELECT " + b.arg(id) + "::bigint"
	}
	if id, err := uuid.Parse(member); err == nil {
		return "SELECT id FROM users WHERE uuid = " + b.arg(id.String()) + "::uuid"
	}
	return "SELECT NULL::bigint"
}

// escapeLike escapes LIKE's wildcards and escape character.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// cursorKey is what a cursor holds: the sort key and id of the last row of a page.
type cursorKey struct {
	key, id int64
}

// sortKey is a row's key in the given order, as a cursor holds it.
func sortKey(sort search.Sort, g *InboxGroup) int64 {
	switch sort {
	case search.SortFirstSeen:
		return g.FirstSeenAt.UnixMicro()
	case search.SortCount:
		return g.OccurrenceCount
	case search.SortTrend:
		return g.Last24h - g.Previous24h
	}
	return g.LastSeenAt.UnixMicro()
}

// Cursor layout: version, order, key, id, digest of project and filter, checksum.
const (
	cursorVersion = 1
	cursorBytes   = 1 + 1 + 8 + 8 + 8 + 8
)

var sortCodes = map[search.Sort]byte{search.SortLastSeen: 1, search.SortFirstSeen: 2, search.SortCount: 3, search.SortTrend: 4}

// filterDigest identifies the project and the filter a cursor belongs to.
func filterDigest(projectID int64, f search.Filter) uint64 {
	sum := sha256.Sum256([]byte(strconv.FormatInt(projectID, 10) + "\n" + search.Format(f)))
	return binary.BigEndian.Uint64(sum[:8])
}

// cursorChecksum detects altered or truncated cursors. It is not a secret: a forged cursor could
// only name another position in the same project's inbox, which the client may ask for anyway.
func cursorChecksum(b []byte) uint64 {
	sum := sha256.Sum256(append([]byte("logister inbox cursor\n"), b...))
	return binary.BigEndian.Uint64(sum[:8])
}

func encodeCursor(sort search.Sort, key, id int64, digest uint64) string {
	b := make([]byte, 0, cursorBytes)
	b = append(b, cursorVersion, sortCodes[sort])
	b = binary.BigEndian.AppendUint64(b, uint64(key)) //nolint:gosec // a two's complement round trip
	b = binary.BigEndian.AppendUint64(b, uint64(id))  //nolint:gosec // ids are positive
	b = binary.BigEndian.AppendUint64(b, digest)
	b = binary.BigEndian.AppendUint64(b, cursorChecksum(b))
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sort search.Sort, digest uint64) (cursorKey, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != cursorBytes || b[0] != cursorVersion ||
		binary.BigEndian.Uint64(b[cursorBytes-8:]) != cursorChecksum(b[:cursorBytes-8]) {
		return cursorKey{}, fmt.Errorf("%w: malformed", ErrInvalidCursor)
	}
	if b[1] != sortCodes[sort] {
		return cursorKey{}, fmt.Errorf("%w: it was made for another sort order", ErrInvalidCursor)
	}
	if binary.BigEndian.Uint64(b[18:26]) != digest {
		return cursorKey{}, fmt.Errorf("%w: it was made for another filter or project", ErrInvalidCursor)
	}
	return cursorKey{
		key: int64(binary.BigEndian.Uint64(b[2:10])),  //nolint:gosec // the round trip of encodeCursor
		id:  int64(binary.BigEndian.Uint64(b[10:18])), //nolint:gosec // the round trip of encodeCursor
	}, nil
}
