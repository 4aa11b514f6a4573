#!/usr/bin/env bash
# Makes the test certificates of src/upstream_tls_tests.rs (committed, so tests need no openssl):
# a CA, and a server certificate it signs for 127.0.0.1. Both valid until 2126. Test-only keys.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 36500 \
  -subj "/CN=cloudpane test CA" -keyout "$work/ca.key" -out "$work/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$work/server.key" -out "$work/server.csr" 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n' >"$work/ext"
openssl x509 -req -in "$work/server.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
  -days 36500 -extfile "$work/ext" -out "$work/server.pem" 2>/dev/null
openssl x509 -in "$work/ca.pem" -outform DER -out ca.der
openssl x509 -in "$work/server.pem" -outform DER -out server.der
openssl pkcs8 -topk8 -nocrypt -in "$work/server.key" -outform DER -out server.key.der
