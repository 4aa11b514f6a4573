#!/usr/bin/env bash
# Checks the deployment files in deploy/: the systemd unit (systemd-analyze verify, where systemd
# is installed), the Kubernetes manifests (kubernetes-validate --strict, for the newest
# Kubernetes it knows), the nginx configuration (nginx -t, with a certificate made here) and the
# Caddyfile (caddy validate, where Caddy is installed). The proxy settings in them are checked
# by crates/proxy/tests/deploy_configs.rs; the nginx configuration serves the console in
# crates/e2e/tests/behind_tls.rs.
#   scripts/check-deploy.sh PROXY_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
proxy_bin=$(realpath "${1:?usage: scripts/check-deploy.sh PROXY_BINARY}")
say() { printf 'check-deploy: %s\n' "$*"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if command -v systemd-analyze >/dev/null; then
  # The unit as installed, with the binary where this build put it. verify only warns (exit 0)
  # about unknown keys and the like: any output fails the check.
  sed "s#/usr/local/bin/cloudpane-proxy#$proxy_bin#" deploy/systemd/cloudpane-proxy.service \
    >"$work/cloudpane-proxy.service"
  out=$(systemd-analyze verify "$work/cloudpane-proxy.service" 2>&1) || { echo "$out" >&2; exit 1; }
  [ -z "$out" ] || { say "systemd-analyze verify:"; echo "$out" >&2; exit 1; }
  say "systemd unit: verified"
else
  say "systemd unit: not checked (no systemd-analyze here)"
fi

validate=tools/k8s-validate/venv/bin/kubernetes-validate
[ -x "$validate" ] || { say "kubernetes-validate missing: run scripts/bootstrap.sh"; exit 1; }
"$validate" --strict --quiet deploy/kubernetes/*.yaml
say "Kubernetes manifests: valid for Kubernetes $("$validate" --help | sed -n 's/.*Defaults to \([0-9.]*\).*/\1/p')"

if command -v nginx >/dev/null; then
  # The server blocks in a minimal nginx.conf, their certificate paths pointed at one made here.
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=console.example.com \
    -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
  sed -e "s#/etc/ssl/certs/console.example.com.pem#$work/cert.pem#" \
      -e "s#/etc/ssl/private/console.example.com.key#$work/key.pem#" \
      deploy/nginx/cloudpane.conf >"$work/cloudpane.conf"
  cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http { include $work/cloudpane.conf; }
CONF
  nginx -t -q -c "$work/nginx.conf" -e "$work/error.log"
  say "nginx configuration: valid"
else
  say "nginx configuration: not checked (no nginx here)"
fi

if command -v caddy >/dev/null; then
  caddy validate --config deploy/caddy/Caddyfile --adapter caddyfile
  say "Caddyfile: valid"
else
  say "Caddyfile: not checked (no caddy here)"
fi
