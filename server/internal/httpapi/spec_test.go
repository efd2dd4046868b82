package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	apispec "github.com/logister/logister/api/spec"
)

const specPath = "../../../openapi.yaml"

// TestSpecIsValid loads openapi.yaml with kin-openapi and validates it.
func TestSpecIsValid(t *testing.T) {
	t.Parallel()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specPath)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	require.Regexp(t, `^3\.0\.\d+$`, doc.OpenAPI, "oapi-codegen and kin-openapi fully support OpenAPI 3.0.x")

	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			require.NotEmpty(t, op.OperationID, "%s %s has no operationId", method, path)
			require.NotEmpty(t, op.Tags, "%s %s has no tag", method, path)
			require.NotEmpty(t, op.Summary, "%s %s has no summary", method, path)
		}
	}
}

// TestGeneratedCodeIsCurrent fails when openapi.yaml changed without `make generate`.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	t.Parallel()
	fromFile, err := openapi3.NewLoader().LoadFromFile(specPath)
	require.NoError(t, err)
	// oapi-codegen capitalises operation ids in the spec it embeds.
	for _, item := range fromFile.Paths.Map() {
		for _, op := range item.Operations() {
			op.OperationID = strings.ToUpper(op.OperationID[:1]) + op.OperationID[1:]
		}
	}
	embedded, err := apispec.GetSwagger()
	require.NoError(t, err)
	a, err := json.Marshal(fromFile)
	require.NoError(t, err)
	b, err := json.Marshal(embedded)
	require.NoError(t, err)
	require.JSONEq(t, string(a), string(b), "api/ is out of date: run `make generate`")
}
