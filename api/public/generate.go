// Package public holds the Echo server interface of the public ingestion endpoints, generated from
// openapi.yaml by oapi-codegen. Nothing in it is edited by hand; run `make generate`.
package public

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../openapi.yaml
