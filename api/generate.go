// Package api holds the code generated from openapi.yaml by oapi-codegen: the request and response
// types, the Echo server interface and the embedded specification. Nothing in it is edited by hand;
// run `make generate` after changing openapi.yaml.
package api

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../openapi.yaml
