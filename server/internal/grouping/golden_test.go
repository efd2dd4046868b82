package grouping

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// input is one testdata/*.json file: an ingest request body as the SDKs send it, plus a comment.
type input struct {
	Comment string `json:"comment"`
	Event   struct {
		Fingerprint string          `json:"fingerprint"`
		Message     string          `json:"message"`
		Context     json.RawMessage `json:"context"`
	} `json:"event"`
}

func inputFiles(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(tb, err)
	require.NotEmpty(tb, files)
	return files
}

func readInput(tb testing.TB, file string) input {
	tb.Helper()
	data, err := os.ReadFile(file)
	require.NoError(tb, err)
	var in input
	require.NoError(tb, json.Unmarshal(data, &in), file)
	require.NotEmpty(tb, in.Comment, "%s: say what the case is about", file)
	return in
}

// TestGolden computes the Result of every testdata/*.json input and compares it, with the
// canonical text that was hashed, to the matching .golden file. Run with -update to rewrite the
// golden files after a deliberate change; a change of fingerprints needs a new AlgorithmVersion.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, file := range inputFiles(t) {
		name := strings.TrimSuffix(filepath.Base(file), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			in := readInput(t, file)
			result, canonical := compute(in.Event.Fingerprint, in.Event.Message, in.Event.Context)
			var got bytes.Buffer
			enc := json.NewEncoder(&got)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			require.NoError(t, enc.Encode(struct {
				Result
				Canonical []string `json:"canonical_text"`
			}{result, strings.Split(canonical, "\n")}))
			golden := strings.TrimSuffix(file, ".json") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, got.Bytes(), 0o600))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -run TestGolden -update to create it")
			require.Equal(t, string(want), got.String())
		})
	}
}
