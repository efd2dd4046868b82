package grouping

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDecodeException(t *testing.T) {
	t.Parallel()
	e := decodeException([]byte(`{"a":[1,{"b":"}\"]"}],"RunTime":"python","Exception":{"CLASS":"A\u00e9\ud83d\ude00",
		"stack_Trace":["l1","l2",3],"tag-context":[{"TEMPLATE":"/x.cfm","inApp":false},"s",{"in_app":true}],
		"message":"\\\/\b\f\n\r\t\ud800x"}}`))
	require.Equal(t, "python", e.runtime)
	require.Equal(t, "Aé😀", e.class)
	require.Equal(t, "l1\nl2\n", e.stackTrace)
	require.Equal(t, "\\/\b\f\n\r\t\uFFFDx", e.message)
	f := false
	require.Equal(t, []RawFrame{{File: "/x.cfm", InApp: &f}}, e.tagContext)

	for _, bad := range []string{"", "nul", `{"exception":{"class":"x"`, `{"exception":{"class":"x" "y"}}`, `[`, `{"a":}`} {
		require.NotPanics(t, func() { decodeException([]byte(bad)) })
	}
	require.Equal(t, "x", decodeException([]byte(`{"exception":{"class":"x","frames":[{]}}`)).class, "keeps what came before an error")
}
