//! `cloudpane-proxy`: see `--help` and crates/proxy/README.md.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use cloudpane_proxy::config::{Config, LogFormat};
use tracing_subscriber::EnvFilter;

/// mimalloc: glibc's malloc and free were a fifth of the proxy's work per request.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::from_env_and_args() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("cloudpane-proxy: {error}");
            return ExitCode::from(2);
        }
    };

    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    match config.log_format {
        LogFormat::Json => subscriber.json().init(),
        LogFormat::Text => subscriber.init(),
    }

    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!(
                "cloudpane-proxy: cannot listen on {} (setting `listen`): {error}",
                config.listen
            );
            return ExitCode::from(2);
        }
    };
    let metrics_listener = match config.metrics_listen {
        None => None,
        Some(address) => match tokio::net::TcpListener::bind(address).await {
            Ok(listener) => Some(listener),
            Err(error) => {
                eprintln!(
                    "cloudpane-proxy: cannot listen on {address} (setting `metrics_listen`): {error}"
                );
                return ExitCode::from(2);
            }
        },
    };
    let bound = listener.local_addr().expect("bound address");
    let shutdown = cloudpane_proxy::shutdown_signal();
    println!("cloudpane-proxy listening on http://{bound}");
    if let Some(metrics) = &metrics_listener {
        let bound = metrics.local_addr().expect("bound address");
        println!(
            "cloudpane-proxy metrics on http://{bound}{}",
            cloudpane_proxy::metrics::METRICS_PATH
        );
    }
    let _ = std::io::stdout().flush();

    match cloudpane_proxy::serve(config, listener, metrics_listener, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cloudpane-proxy: {error}");
            ExitCode::FAILURE
        }
    }
}
