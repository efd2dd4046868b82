/** Ready-to-paste snippets that send one error event to `/api/v1/ingest_events` with an API key. */

export interface Snippet {
  id: string;
  label: string;
  code: string;
}

const MESSAGE = 'Something broke';

export function ingestUrl(origin: string): string {
  return `${origin}/api/v1/ingest_events`;
}

export function snippets(url: string, key: string): readonly Snippet[] {
  const body = JSON.stringify({ event: { event_type: 'error', message: MESSAGE, context: { source: 'setup' } } });
  return [
    {
      id: 'curl',
      label: 'HTTP API (curl)',
      code: `curl -X POST '${url}' \\
  -H 'Authorization: Bearer ${key}' \\
  -H 'Content-Type: application/json' \\
  -d '${body}'`,
    },
    {
      id: 'ruby',
      label: 'Ruby',
      code: `require "net/http"
require "json"

uri = URI("${url}")
request = Net::HTTP::Post.new(uri, "Authorization" => "Bearer ${key}", "Content-Type" => "application/json")
request.body = { event: { event_type: "error", message: "${MESSAGE}", context: { source: "setup" } } }.to_json
Net::HTTP.start(uri.host, uri.port, use_ssl: uri.scheme == "https") { |http| http.request(request) }`,
    },
    {
      id: 'python',
      label: 'Python',
      code: `import json
import urllib.request

request = urllib.request.Request(
    "${url}",
    data=json.dumps({"event": {"event_type": "error", "message": "${MESSAGE}", "context": {"source": "setup"}}}).encode(),
    headers={"Authorization": "Bearer ${key}", "Content-Type": "application/json"},
    method="POST",
)
urllib.request.urlopen(request)`,
    },
    {
      id: 'javascript',
      label: 'JS / TS',
      code: `await fetch('${url}', {
  method: 'POST',
  headers: { Authorization: 'Bearer ${key}', 'Content-Type': 'application/json' },
  body: JSON.stringify({ event: { event_type: 'error', message: '${MESSAGE}', context: { source: 'setup' } } }),
});`,
    },
    {
      id: 'dotnet',
      label: '.NET',
      code: `using System.Net.Http.Headers;
using System.Net.Http.Json;

using var http = new HttpClient();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "${key}");
await http.PostAsJsonAsync("${url}",
    new { @event = new { event_type = "error", message = "${MESSAGE}", context = new { source = "setup" } } });`,
    },
    {
      id: 'cfml',
      label: 'CFML',
      code: `<cfset body = { "event": { "event_type": "error", "message": "${MESSAGE}", "context": { "source": "setup" } } }>
<cfhttp url="${url}" method="post">
  <cfhttpparam type="header" name="Authorization" value="Bearer ${key}">
  <cfhttpparam type="header" name="Content-Type" value="application/json">
  <cfhttpparam type="body" value="#serializeJSON(body)#">
</cfhttp>`,
    },
  ];
}
