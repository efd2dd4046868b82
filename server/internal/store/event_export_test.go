package store

import (
	"time"

	"github.com/google/uuid"
)

// Test hooks of event.go: the SQL of its reads, for the plan checks of event_test.go.

// OccurrencesQueryForTest is ListOccurrences' query; after adds a cursor position.
func OccurrencesQueryForTest(groupID int64, after bool) (string, []any) {
	var k *timeKey
	if after {
		k = &timeKey{at: time.Now(), id: uuid.New()}
	}
	return occurrencesQuery(groupID, contextColumn(true, 1000), k, 50)
}

// EventQueriesForTest are EventByID's queries of error_events and of telemetry_events.
func EventQueriesForTest(projectID int64, id uuid.UUID) (errSQL string, errArgs []any, telSQL string, telArgs []any) {
	errSQL, errArgs = errorEventQuery(projectID, id)
	telSQL, telArgs = telemetryEventQuery(projectID, id)
	return errSQL, errArgs, telSQL, telArgs
}

// RelatedLogsQueryForTest is RelatedLogs' query.
func RelatedLogsQueryForTest(q RelatedQuery) (string, []any) { return relatedLogsQuery(q) }
