//! The proxy's configuration: one typed struct, loaded from a TOML file (`--config`) and
//! overridden by environment variables (`CLOUDPANE_PROXY_*`) and then by flags.
//!
//! Everything is checked here, at start: a bad setting is refused with a message that names it.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use cloudpane_api::Provider;
use serde::Deserialize;
use url::Url;

use crate::ssrf;

/// Command-line flags; each one can also be given as an environment variable or in the TOML file.
///
/// Flags win over environment variables, which win over the file, which wins over the defaults.
#[derive(Debug, Default, Parser)]
#[command(
    name = "cloudpane-proxy",
    version,
    about = "The thin, locked-down CORS proxy and static file server for cloudpane.",
    long_about = "The thin, locked-down CORS proxy and static file server for cloudpane.\n\n\
        Forwards /proxy/{voltagepark|netactuate|octos}/{path}?{query} to {BASE_URL}/{path}?{query} \
        and nothing else, serves the built app from --dist everywhere else, and the app's runtime \
        configuration at /cloudpane-config.json.\n\n\
        Every flag can also be set with the environment variable shown, or in the TOML file given \
        with --config (keys are the flag names with '_' for '-'). Flags win over the environment, \
        which wins over the file."
)]
pub struct Cli {
    /// TOML file with any of the settings below (keys as the flag names, `_` for `-`; upstreams
    /// as a table `[upstream]` of NAME = "BASE_URL").
    #[arg(long, env = "CLOUDPANE_PROXY_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Address to listen on [default: 127.0.0.1:8080]. Port 0 picks a free port. Any address
    /// other than loopback needs --allow-origin or --access-key-file.
    #[arg(long, env = "CLOUDPANE_PROXY_LISTEN", value_name = "ADDR")]
    pub listen: Option<String>,

    /// Directory of the built app (Trunk's dist/) to serve. Without it only the proxy routes and
    /// the runtime configuration are served.
    #[arg(long, env = "CLOUDPANE_PROXY_DIST", value_name = "DIR")]
    pub dist: Option<PathBuf>,

    /// Override one provider's base URL, e.g. voltagepark=http://127.0.0.1:9090/voltagepark.
    /// Repeatable (comma-separated in the environment). Providers: voltagepark, netactuate, octos;
    /// the default base URLs are the providers' real API origins.
    #[arg(
        long,
        env = "CLOUDPANE_PROXY_UPSTREAM",
        value_name = "NAME=BASE_URL",
        value_delimiter = ','
    )]
    pub upstream: Vec<String>,

    /// A web origin (scheme://host[:port]) allowed to call the proxy besides the proxy's own
    /// loopback origin. Repeatable (comma-separated in the environment).
    #[arg(
        long,
        env = "CLOUDPANE_PROXY_ALLOW_ORIGIN",
        value_name = "ORIGIN",
        value_delimiter = ','
    )]
    pub allow_origin: Vec<String>,

    /// Allow upstreams on loopback, private, link-local and other non-public addresses, and plain
    /// http:// base URLs. Needed for the sandbox (demo and tests); never for the real providers.
    #[arg(long, env = "CLOUDPANE_PROXY_ALLOW_PRIVATE_UPSTREAMS")]
    pub allow_private_upstreams: bool,

    /// File holding an access key (at least 16 characters) that every proxied request must carry
    /// in the x-cloudpane-access-key header.
    #[arg(long, env = "CLOUDPANE_PROXY_ACCESS_KEY_FILE", value_name = "FILE")]
    pub access_key_file: Option<PathBuf>,

    /// Demo mode: the runtime configuration tells the app to offer the sandbox's demo accounts.
    #[arg(long, env = "CLOUDPANE_PROXY_DEMO")]
    pub demo: bool,

    /// Largest request body forwarded upstream, e.g. 16MiB or 1048576 [default: 16MiB]. Larger
    /// bodies get 413, checked against Content-Length and counted while streaming.
    #[arg(long, env = "CLOUDPANE_PROXY_MAX_REQUEST_BODY", value_name = "SIZE")]
    pub max_request_body: Option<String>,

    /// How long to wait for a TCP/TLS connection to an upstream, e.g. 5s [default: 10s].
    #[arg(long, env = "CLOUDPANE_PROXY_CONNECT_TIMEOUT", value_name = "DURATION")]
    pub connect_timeout: Option<String>,

    /// How long an upstream may stay silent (no response headers, or no body bytes) [default: 30s].
    #[arg(long, env = "CLOUDPANE_PROXY_READ_TIMEOUT", value_name = "DURATION")]
    pub read_timeout: Option<String>,

    /// Longest a whole proxied exchange may take, response body included [default: 300s].
    #[arg(long, env = "CLOUDPANE_PROXY_TOTAL_TIMEOUT", value_name = "DURATION")]
    pub total_timeout: Option<String>,

    /// How long a client may take to send a request's headers, or stay idle between requests,
    /// before its connection is closed [default: 30s].
    #[arg(
        long,
        env = "CLOUDPANE_PROXY_HEADER_READ_TIMEOUT",
        value_name = "DURATION"
    )]
    pub header_read_timeout: Option<String>,

    /// Most proxied requests in flight at once; more get 503 [default: 256].
    #[arg(
        long,
        env = "CLOUDPANE_PROXY_MAX_CONCURRENT_REQUESTS",
        value_name = "N"
    )]
    pub max_concurrent_requests: Option<usize>,

    /// Proxied requests per minute allowed from one client IP address (429 with Retry-After past
    /// it); 0 turns the limit off [default: 0].
    #[arg(long, env = "CLOUDPANE_PROXY_RATE_LIMIT_PER_MINUTE", value_name = "N")]
    pub rate_limit_per_minute: Option<u32>,

    /// On SIGINT/SIGTERM, how long to let requests in flight finish before exiting [default: 30s].
    #[arg(long, env = "CLOUDPANE_PROXY_SHUTDOWN_GRACE", value_name = "DURATION")]
    pub shutdown_grace: Option<String>,

    /// Path prefix everything is served under, e.g. /tools/cloudpane: the app at
    /// /tools/cloudpane/, the proxy routes at /tools/cloudpane/proxy/... (for a reverse proxy
    /// that passes the prefix on) [default: none, the root]. /healthz and /readyz answer at the
    /// root and under the prefix.
    #[arg(long, env = "CLOUDPANE_PROXY_BASE_PATH", value_name = "PATH")]
    pub base_path: Option<String>,

    /// Address to serve Prometheus metrics on, at /metrics (e.g. 127.0.0.1:9091, or the pod's
    /// address for a scraper) [default: off]. A separate listener, so that the metrics are never
    /// reachable through the app's own address or a TLS terminator in front of it.
    #[arg(long, env = "CLOUDPANE_PROXY_METRICS_LISTEN", value_name = "ADDR")]
    pub metrics_listen: Option<String>,

    /// Log format on stderr: text or json [default: text]. RUST_LOG filters as usual.
    #[arg(long, env = "CLOUDPANE_PROXY_LOG_FORMAT", value_name = "FORMAT")]
    pub log_format: Option<String>,
}

/// The TOML file: the same settings as the flags.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    dist: Option<PathBuf>,
    #[serde(default)]
    upstream: BTreeMap<String, String>,
    #[serde(default)]
    allow_origin: Vec<String>,
    allow_private_upstreams: Option<bool>,
    access_key_file: Option<PathBuf>,
    demo: Option<bool>,
    max_request_body: Option<SizeOrNumber>,
    connect_timeout: Option<String>,
    read_timeout: Option<String>,
    total_timeout: Option<String>,
    header_read_timeout: Option<String>,
    max_concurrent_requests: Option<usize>,
    rate_limit_per_minute: Option<u32>,
    shutdown_grace: Option<String>,
    base_path: Option<String>,
    metrics_listen: Option<String>,
    log_format: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum SizeOrNumber {
    Number(u64),
    Text(String),
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// One provider the proxy routes, and where to.
#[derive(Debug, Clone)]
pub struct Upstream {
    pub provider: Provider,
    /// Base URL without a trailing slash, e.g. `https://api.netactuate.com` or
    /// `http://127.0.0.1:9090/netactuate`.
    pub base: Url,
}

/// The checked configuration the proxy runs with.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to listen on.
    pub listen: SocketAddr,
    /// Directory of the built app, if the proxy serves it.
    pub dist: Option<PathBuf>,
    /// Every provider with its base URL, in [`Provider::ALL`] order.
    pub upstreams: Vec<Upstream>,
    /// Extra allowed web origins, normalised to `scheme://host[:port]`.
    pub allow_origins: Vec<String>,
    /// Whether upstreams may resolve to non-public addresses.
    pub allow_private_upstreams: bool,
    /// The access key proxied requests must carry, if any.
    pub access_key: Option<String>,
    /// Whether the runtime configuration offers the demo accounts.
    pub demo: bool,
    /// Largest request body forwarded, in bytes.
    pub max_request_body: u64,
    /// Upstream connect timeout.
    pub connect_timeout: Duration,
    /// Upstream idle-read timeout.
    pub read_timeout: Duration,
    /// Whole-exchange timeout.
    pub total_timeout: Duration,
    /// Longest wait for a client's request headers (from the end of its previous answer).
    pub header_read_timeout: Duration,
    /// Most proxied requests in flight.
    pub max_concurrent_requests: usize,
    /// Proxied requests per minute per client IP; `None` = unlimited.
    pub rate_limit_per_minute: Option<u32>,
    /// Drain time on shutdown.
    pub shutdown_grace: Duration,
    /// The path prefix everything is served under: `""` (the root) or `/a/b`, without a trailing
    /// slash.
    pub base_path: String,
    /// Where Prometheus metrics are served, if anywhere.
    pub metrics_listen: Option<SocketAddr>,
    /// Log format.
    pub log_format: LogFormat,
}

/// A setting that cannot be used; the message names it.
#[derive(Debug, thiserror::Error)]
#[error("invalid setting `{setting}` (--{flag} / CLOUDPANE_PROXY_{env} / `{setting}` in the TOML file): {message}")]
pub struct ConfigError {
    setting: &'static str,
    flag: String,
    env: String,
    message: String,
}

impl ConfigError {
    fn new(setting: &'static str, message: impl Into<String>) -> Self {
        ConfigError {
            setting,
            flag: setting.replace('_', "-"),
            env: setting.to_uppercase(),
            message: message.into(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            dist: None,
            upstreams: Provider::ALL
                .into_iter()
                .map(|provider| Upstream {
                    provider,
                    base: Url::parse(provider.default_base_url()).expect("default base URL"),
                })
                .collect(),
            allow_origins: Vec::new(),
            allow_private_upstreams: false,
            access_key: None,
            demo: false,
            max_request_body: 16 * 1024 * 1024,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(300),
            header_read_timeout: Duration::from_secs(30),
            max_concurrent_requests: 256,
            rate_limit_per_minute: None,
            shutdown_grace: Duration::from_secs(30),
            base_path: String::new(),
            metrics_listen: None,
            log_format: LogFormat::Text,
        }
    }
}

impl Config {
    /// Parses the process's flags and environment (and the TOML file they name).
    pub fn from_env_and_args() -> Result<Config, ConfigError> {
        Config::from_cli(Cli::parse())
    }

    /// Parses the given arguments (the first is the program name) and the environment.
    pub fn from_args<I, T>(args: I) -> Result<Config, ConfigError>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let cli =
            Cli::try_parse_from(args).map_err(|e| ConfigError::new("arguments", e.to_string()))?;
        Config::from_cli(cli)
    }

    /// Merges flags/environment over the TOML file over the defaults, and checks the result.
    pub fn from_cli(cli: Cli) -> Result<Config, ConfigError> {
        let file = match &cli.config {
            Some(path) => read_file_config(path)?,
            None => FileConfig::default(),
        };
        let defaults = Config::default();

        let listen = match cli.listen.or(file.listen) {
            Some(text) => text.trim().parse::<SocketAddr>().map_err(|_| {
                ConfigError::new(
                    "listen",
                    format!("`{text}` is not an address like 127.0.0.1:8080"),
                )
            })?,
            None => defaults.listen,
        };

        let dist = cli.dist.or(file.dist);
        if let Some(dir) = &dist {
            if !dir.is_dir() {
                return Err(ConfigError::new(
                    "dist",
                    format!("`{}` is not a directory", dir.display()),
                ));
            }
        }

        let allow_private_upstreams =
            cli.allow_private_upstreams || file.allow_private_upstreams.unwrap_or(false);

        // Upstreams: the file's table first, then the flags, each overriding one provider.
        let mut upstreams = defaults.upstreams;
        let overrides = file
            .upstream
            .into_iter()
            .chain(
                cli.upstream
                    .iter()
                    .map(|entry| match entry.split_once('=') {
                        Some((name, url)) => (name.trim().to_string(), url.trim().to_string()),
                        None => (entry.clone(), String::new()),
                    }),
            );
        for (name, url) in overrides {
            let provider: Provider =
                name.parse().map_err(|e: cloudpane_api::UnknownProvider| {
                    ConfigError::new("upstream", format!("{e} (use NAME=BASE_URL)"))
                })?;
            let base = parse_base_url(&url, allow_private_upstreams)
                .map_err(|m| ConfigError::new("upstream", format!("{name}: {m}")))?;
            let slot = upstreams
                .iter_mut()
                .find(|u| u.provider == provider)
                .expect("all providers");
            slot.base = base;
        }

        let allow_origins = if cli.allow_origin.is_empty() {
            file.allow_origin
        } else {
            cli.allow_origin
        }
        .iter()
        .filter(|o| !o.trim().is_empty())
        .map(|o| normalize_origin(o).map_err(|m| ConfigError::new("allow_origin", m)))
        .collect::<Result<Vec<_>, _>>()?;

        let access_key = match cli.access_key_file.or(file.access_key_file) {
            Some(path) => Some(read_access_key(&path)?),
            None => None,
        };

        let max_request_body = match (cli.max_request_body, file.max_request_body) {
            (Some(text), _) | (None, Some(SizeOrNumber::Text(text))) => {
                parse_size(&text).map_err(|m| ConfigError::new("max_request_body", m))?
            }
            (None, Some(SizeOrNumber::Number(n))) => n,
            (None, None) => defaults.max_request_body,
        };
        if max_request_body == 0 {
            return Err(ConfigError::new("max_request_body", "must be more than 0"));
        }

        let duration = |setting: &'static str,
                        cli: Option<String>,
                        file: Option<String>,
                        default| match cli.or(file) {
            Some(text) => parse_duration(&text).map_err(|m| ConfigError::new(setting, m)),
            None => Ok(default),
        };
        let connect_timeout = duration(
            "connect_timeout",
            cli.connect_timeout,
            file.connect_timeout,
            defaults.connect_timeout,
        )?;
        let read_timeout = duration(
            "read_timeout",
            cli.read_timeout,
            file.read_timeout,
            defaults.read_timeout,
        )?;
        let total_timeout = duration(
            "total_timeout",
            cli.total_timeout,
            file.total_timeout,
            defaults.total_timeout,
        )?;
        let header_read_timeout = duration(
            "header_read_timeout",
            cli.header_read_timeout,
            file.header_read_timeout,
            defaults.header_read_timeout,
        )?;
        let shutdown_grace = duration(
            "shutdown_grace",
            cli.shutdown_grace,
            file.shutdown_grace,
            defaults.shutdown_grace,
        )?;
        for (setting, value) in [
            ("connect_timeout", connect_timeout),
            ("read_timeout", read_timeout),
            ("total_timeout", total_timeout),
            ("header_read_timeout", header_read_timeout),
        ] {
            if value.is_zero() {
                return Err(ConfigError::new(setting, "must be more than 0"));
            }
        }

        let max_concurrent_requests = cli
            .max_concurrent_requests
            .or(file.max_concurrent_requests)
            .unwrap_or(defaults.max_concurrent_requests);
        if max_concurrent_requests == 0 {
            return Err(ConfigError::new(
                "max_concurrent_requests",
                "must be at least 1",
            ));
        }

        let rate_limit_per_minute = cli
            .rate_limit_per_minute
            .or(file.rate_limit_per_minute)
            .filter(|n| *n > 0);

        let base_path = match cli.base_path.or(file.base_path) {
            Some(text) => parse_base_path(&text).map_err(|m| ConfigError::new("base_path", m))?,
            None => String::new(),
        };

        let metrics_listen = match cli.metrics_listen.or(file.metrics_listen) {
            Some(text) if !text.trim().is_empty() => {
                let address = text.trim().parse::<SocketAddr>().map_err(|_| {
                    ConfigError::new(
                        "metrics_listen",
                        format!("`{text}` is not an address like 127.0.0.1:9091"),
                    )
                })?;
                if address == listen && address.port() != 0 {
                    return Err(ConfigError::new(
                        "metrics_listen",
                        format!("{address} is already `listen`; give the metrics their own port"),
                    ));
                }
                Some(address)
            }
            _ => None,
        };

        let log_format = match cli.log_format.or(file.log_format).as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError::new(
                    "log_format",
                    format!("`{other}` is neither text nor json"),
                ))
            }
        };

        let config = Config {
            listen,
            dist,
            upstreams,
            allow_origins,
            allow_private_upstreams,
            access_key,
            demo: cli.demo || file.demo.unwrap_or(false),
            max_request_body,
            connect_timeout,
            read_timeout,
            total_timeout,
            header_read_timeout,
            max_concurrent_requests,
            rate_limit_per_minute,
            shutdown_grace,
            base_path,
            metrics_listen,
            log_format,
        };
        config.check_exposure()?;
        Ok(config)
    }

    /// Anyone who can reach the proxy can use its source address, which NetActuate's IP ACL
    /// trusts; so off loopback, callers must be limited by origin or by an access key.
    fn check_exposure(&self) -> Result<(), ConfigError> {
        if !self.listen.ip().is_loopback()
            && self.allow_origins.is_empty()
            && self.access_key.is_none()
        {
            return Err(ConfigError::new(
                "listen",
                format!(
                    "refusing to listen on {} (not loopback) without --allow-origin or \
                     --access-key-file: the providers' IP allowlists (NetActuate's IP ACL) trust \
                     this proxy's address, so anyone who can reach it would get past them",
                    self.listen
                ),
            ));
        }
        Ok(())
    }

    /// The base URL of `provider`.
    pub fn upstream(&self, provider: Provider) -> &Url {
        &self
            .upstreams
            .iter()
            .find(|u| u.provider == provider)
            .expect("all providers")
            .base
    }
}

fn read_file_config(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError::new("config", format!("cannot read `{}`: {e}", path.display()))
    })?;
    toml::from_str(&text)
        .map_err(|e| ConfigError::new("config", format!("`{}` is not valid: {e}", path.display())))
}

fn read_access_key(path: &Path) -> Result<String, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError::new(
            "access_key_file",
            format!("cannot read `{}`: {e}", path.display()),
        )
    })?;
    let key = text.trim();
    if key.len() < 16 {
        return Err(ConfigError::new(
            "access_key_file",
            format!(
                "the key in `{}` is shorter than 16 characters",
                path.display()
            ),
        ));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ConfigError::new(
            "access_key_file",
            "the key must be printable ASCII without spaces (it travels in an HTTP header)",
        ));
    }
    Ok(key.to_string())
}

/// Checks a base URL: http(s), a host, no credentials, query or fragment; plain http and
/// literal non-public addresses only with `allow_private`.
pub(crate) fn parse_base_url(text: &str, allow_private: bool) -> Result<Url, String> {
    let mut url = Url::parse(text).map_err(|e| format!("`{text}` is not a URL ({e})"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        "http" => {
            return Err(format!(
                "`{text}` is plain http, which would send tokens unencrypted; use https \
                 (or --allow-private-upstreams for a local sandbox)"
            ))
        }
        other => return Err(format!("scheme `{other}` is not http or https")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{text}` has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("credentials in the base URL are not allowed".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("the base URL may not have a query or fragment".into());
    }
    if !allow_private {
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        };
        if let Some(ip) = literal.filter(|ip| !ssrf::is_public(*ip)) {
            return Err(format!(
                "{ip} is not a public address (loopback, private, link-local or reserved); \
                 pass --allow-private-upstreams to allow it"
            ));
        }
    }
    let trimmed = url.path().trim_end_matches('/').to_string();
    url.set_path(&trimmed);
    Ok(url)
}

/// `/tools/cloudpane` from `/tools/cloudpane/`, `tools/cloudpane` or `/tools/cloudpane`; `""`
/// from `/` or nothing. Segments of letters, digits and `-._~` only (no dot segments): the prefix
/// is written into the app's `<base href>` and compared byte for byte with request paths.
pub(crate) fn parse_base_path(text: &str) -> Result<String, String> {
    let trimmed = text.trim().trim_matches('/');
    if trimmed.is_empty() {
        return Ok(String::new());
    }
    for segment in trimmed.split('/') {
        let plain = segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
        if segment.is_empty() || segment == "." || segment == ".." || !plain {
            return Err(format!(
                "`{text}` is not a path prefix like /tools/cloudpane (segments of letters, \
                 digits and -._~, no empty or dot segments)"
            ));
        }
    }
    Ok(format!("/{trimmed}"))
}

/// `scheme://host[:port]`, lowercased, default port dropped.
fn normalize_origin(text: &str) -> Result<String, String> {
    let url = Url::parse(text.trim()).map_err(|e| format!("`{text}` is not an origin ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!(
            "`{text}` is not an http(s) origin like https://console.example.com"
        ));
    }
    if url.path() != "/" || url.query().is_some() || !url.username().is_empty() {
        return Err(format!(
            "`{text}` must be only scheme://host[:port], without a path"
        ));
    }
    Ok(url.origin().ascii_serialization())
}

/// `16MiB`, `512KiB`, `1MB`, `1048576`.
pub(crate) fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size like 16MiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1_000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return Err(format!("`{text}` is not a size like 16MiB")),
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// `250ms`, `5s`, `2m`, `1h`; a bare number is seconds.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like 30s"))?;
    Ok(match unit.trim() {
        "ms" => Duration::from_millis(number),
        "" | "s" => Duration::from_secs(number),
        "m" => Duration::from_secs(number * 60),
        "h" => Duration::from_secs(number * 3600),
        _ => return Err(format!("`{text}` is not a duration like 30s or 250ms")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_parse() {
        assert_eq!(parse_size("16MiB").unwrap(), 16 << 20);
        assert_eq!(parse_size("100").unwrap(), 100);
        assert!(parse_size("lots").is_err());
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn base_urls_are_checked() {
        assert!(parse_base_url("https://api.netactuate.com/", false).is_ok());
        assert_eq!(
            parse_base_url("https://h.example/a/", false)
                .unwrap()
                .path(),
            "/a"
        );
        assert!(parse_base_url("http://api.netactuate.com", false).is_err());
        assert!(parse_base_url("https://127.0.0.1:9090", false).is_err());
        assert!(parse_base_url("https://[::ffff:10.0.0.1]", false).is_err());
        assert!(parse_base_url("https://169.254.169.254", false).is_err());
        assert!(parse_base_url("http://127.0.0.1:9090/voltagepark", true).is_ok());
        assert!(parse_base_url("https://user:pw@h.example", true).is_err());
        assert!(parse_base_url("https://h.example/?key=x", true).is_err());
        assert!(parse_base_url("ftp://h.example", true).is_err());
    }

    #[test]
    fn base_paths_are_normalised_and_checked() {
        assert_eq!(
            parse_base_path("/tools/cloudpane/").unwrap(),
            "/tools/cloudpane"
        );
        assert_eq!(parse_base_path("tools").unwrap(), "/tools");
        assert_eq!(parse_base_path("/").unwrap(), "");
        for bad in [
            "/a//b", "/a/../b", "/a/./b", "/a b", "/a?b", "/a%2fb", "/a#b",
        ] {
            assert!(parse_base_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            normalize_origin("HTTPS://Console.Example.com:443").unwrap(),
            "https://console.example.com"
        );
        assert!(normalize_origin("https://a.example/path").is_err());
        assert!(normalize_origin("*").is_err());
    }
}
