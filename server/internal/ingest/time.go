package ingest

// Timestamps and the time/evidence rules (reference 1.4, TelemetryEvidenceNormalizer).

import (
	"time"
)

// parseTime parses the ISO 8601 / RFC 3339 timestamps that clients send: a date, optionally
// followed by "T" (or a space) and a time with optional fractional seconds and an optional zone
// ("Z", "+hh:mm", "+hhmm", "+hh" or " UTC"). A time without a zone is UTC. The result is in UTC.
func parseTime(s []byte) (time.Time, bool) {
	s = trimSpaceBytes(s)
	num := func(i, n int) (int, bool) {
		if i+n > len(s) {
			return 0, false
		}
		v := 0
		for _, c := range s[i : i+n] {
			if !isDigit(c) {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 2)
	day, ok3 := num(8, 2)
	if !ok1 || !ok2 || !ok3 || s[4] != '-' || s[7] != '-' || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) {
		return time.Time{}, false
	}
	if len(s) == 10 {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
	}
	if c := s[10]; c != 'T' && c != 't' && c != ' ' {
		return time.Time{}, false
	}
	hour, ok1 := num(11, 2)
	minute, ok2 := num(14, 2)
	if !ok1 || !ok2 || s[13] != ':' || hour > 23 || minute > 59 {
		return time.Time{}, false
	}
	i, sec, nsec := 16, 0, 0
	if i < len(s) && s[i] == ':' {
		var ok bool
		if sec, ok = num(i+1, 2); !ok || sec > 59 {
			return time.Time{}, false
		}
		i += 3
		if i < len(s) && (s[i] == '.' || s[i] == ',') {
			i++
			digits := 0
			for i < len(s) && isDigit(s[i]) {
				if digits < 9 {
					nsec = nsec*10 + int(s[i]-'0')
				}
				digits++
				i++
			}
			if digits == 0 {
				return time.Time{}, false
			}
			for ; digits < 9; digits++ {
				nsec *= 10
			}
		}
	}
	offset, ok := parseZone(trimSpaceBytes(s[i:]))
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.Add(-time.Duration(offset) * time.Second), true
}

// parseZone parses a zone suffix and returns its offset east of UTC in seconds.
func parseZone(z []byte) (int, bool) {
	switch string(z) {
	case "", "Z", "z", "UTC", "GMT":
		return 0, true
	}
	if z[0] != '+' && z[0] != '-' {
		return 0, false
	}
	var digits [4]int
	n := 0
	for i := 1; i < len(z); i++ {
		switch c := z[i]; {
		case isDigit(c) && n < len(digits):
			digits[n] = int(c - '0')
			n++
		case c == ':' && i == 3:
		default:
			return 0, false
		}
	}
	var h, m int
	switch n {
	case 2:
		h = digits[0]*10 + digits[1]
	case 4:
		h, m = digits[0]*10+digits[1], digits[2]*10+digits[3]
	default:
		return 0, false
	}
	if h > 23 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if z[0] == '-' {
		off = -off
	}
	return off, true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// parseRawTime parses an encoded string value as a time.
func parseRawTime(v []byte) (time.Time, bool) {
	if len(v) < 2 || v[0] != '"' {
		return time.Time{}, false
	}
	if bytesHasByte(v, '\\') {
		return parseTime(decodeString(nil, v[1:len(v)-1]))
	}
	return parseTime(v[1 : len(v)-1])
}

// occurredAt picks the stored time of a non-span event (TelemetryEvidenceNormalizer): the exact
// client time, else the reporting end, else the reporting start, else now.
func (d *decoder) occurredAt(client []byte, now time.Time) (time.Time, string) {
	diag, evid := d.rootGet(kDiagnostic), d.rootGet(tEvidence)
	for _, v := range [...][]byte{client, objectGet(diag, "occurred_at"), objectGet(evid, "occurred_at")} {
		if t, ok := parseRawTime(v); ok {
			return t, PrecisionExact
		}
	}
	if diag == nil && evid == nil {
		return now, PrecisionReceivedOnly
	}
	period, dperiod := objectGet(evid, "reporting_period"), objectGet(diag, "reporting_period")
	first := func(vs ...[]byte) (time.Time, bool) {
		for _, v := range vs {
			if t, ok := parseRawTime(v); ok {
				return t, true
			}
		}
		return time.Time{}, false
	}
	start, hasStart := first(objectGet(period, "start"), objectGet(evid, "reporting_start"), objectGet(dperiod, "start"),
		objectGet(diag, "reporting_start"), objectGet(diag, "time_stamp_begin"), objectGet(diag, "timestamp_begin"))
	end, hasEnd := first(objectGet(period, "end"), objectGet(evid, "reporting_end"), objectGet(dperiod, "end"),
		objectGet(diag, "reporting_end"), objectGet(diag, "time_stamp_end"), objectGet(diag, "timestamp_end"))
	if hasStart && hasEnd && start.After(end) {
		hasStart, hasEnd = false, false
	}
	switch {
	case hasEnd:
		return end, PrecisionReportingInterval
	case hasStart:
		return start, PrecisionReportingInterval
	}
	return now, PrecisionReceivedOnly
}
