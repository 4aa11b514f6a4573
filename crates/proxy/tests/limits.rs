//! Rules: body limit (413 without buffering), timeouts (504 saying which), a client's header
//! read timeout, concurrency limit (503), per-client rate limit (429 + Retry-After), and
//! streaming both ways.

mod common;

use std::time::{Duration, Instant};

use bytes::Bytes;
use cloudpane_proxy::RunningProxy;
use common::{client, proxy, Upstream};

fn flags(up: &Upstream, extra: &[&str]) -> Vec<String> {
    let mut flags = up.flags();
    flags.extend(extra.iter().map(|s| s.to_string()));
    flags
}

async fn error_of(response: reqwest::Response) -> String {
    let body: serde_json::Value = response.json().await.unwrap();
    body["error"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_413_before_anything_is_sent() {
    let up = Upstream::start().await;
    let proxy = proxy(&flags(&up, &["--max-request-body", "1000"])).await;
    let url = format!("{}/proxy/voltagepark/api/upload", proxy.url());
    let response = client()
        .post(&url)
        .body(vec![b'x'; 1001])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(up.count(), 0);
    let response = client()
        .post(&url)
        .body(vec![b'x'; 1000])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_large_upload_refused_before_it_is_read_gets_its_answer_not_a_reset() {
    let up = Upstream::start().await;
    let proxy = proxy(&flags(&up, &["--max-request-body", "64KiB"])).await;
    let url = format!("{}/proxy/voltagepark/api/upload", proxy.url());
    // With a Content-Length, and large enough that the client is still sending it when the
    // answer comes back; hyper's client reads the answer only once it has sent everything.
    for (origin, status, error) in [
        (None, 413, "65536"),
        (Some("https://evil.example"), 403, "origin"),
    ] {
        let mut request = client().post(&url).body(vec![b'x'; 16 * 1024 * 1024]);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), status);
        assert!(error_of(response).await.contains(error), "{status}");
    }
    assert_eq!(up.count(), 0);
    proxy.shutdown().await.unwrap();
}

/// A proxy with a 64 KiB body limit and `read_timeout`, and a raw connection to it on which a
/// POST declaring a 1 MiB body has sent its head (with the `extra` header lines) and `sent`
/// bytes of the body.
async fn refused_upload(
    read_timeout: &str,
    extra: &str,
    sent: usize,
) -> (Upstream, RunningProxy, tokio::net::TcpStream) {
    use tokio::io::AsyncWriteExt;
    let up = Upstream::start().await;
    let flags = flags(
        &up,
        &[
            "--max-request-body",
            "64KiB",
            "--read-timeout",
            read_timeout,
        ],
    );
    let proxy = proxy(&flags).await;
    let mut tcp = tokio::net::TcpStream::connect(proxy.addr).await.unwrap();
    let head = format!(
        "POST /proxy/voltagepark/api/upload HTTP/1.1\r\nHost: {}\r\nContent-Length: 1048576\r\n{extra}\r\n",
        proxy.addr
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    tcp.write_all(&vec![b'x'; sent]).await.unwrap();
    (up, proxy, tcp)
}

/// The first 12 bytes of the answer (`HTTP/1.1 413`), within 5 s.
async fn status_line(tcp: &mut tokio::net::TcpStream) -> [u8; 12] {
    use tokio::io::AsyncReadExt;
    let mut answer = [0u8; 12];
    tokio::time::timeout(Duration::from_secs(5), tcp.read_exact(&mut answer))
        .await
        .expect("an answer within 5 s")
        .unwrap();
    answer
}

#[tokio::test]
async fn a_refused_body_is_answered_at_once_and_waited_for_only_the_read_timeout() {
    use tokio::io::AsyncReadExt;
    let started = Instant::now();
    let (up, proxy, mut tcp) = refused_upload("1s", "", 1000).await;
    let sent = Instant::now();
    // The 413 is not held back while the body is read...
    assert_eq!(&status_line(&mut tcp).await, b"HTTP/1.1 413");
    let answered = sent.elapsed();
    assert!(
        answered < Duration::from_secs(1),
        "answered after {answered:?}"
    );
    // ... and when the rest never comes, the connection is closed after the read timeout.
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut rest))
        .await
        .expect("closed within 5 s")
        .unwrap();
    let closed = started.elapsed();
    assert!(closed >= Duration::from_secs(1), "closed after {closed:?}");
    assert_eq!(up.count(), 0);
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_refused_body_announced_with_expect_100_continue_is_not_asked_for() {
    use tokio::io::AsyncReadExt;
    let (up, proxy, mut tcp) = refused_upload("10s", "Expect: 100-continue\r\n", 0).await;
    // The client waits for "100 Continue" before sending the body: it gets the 413 at once
    // instead, and the connection is closed rather than held open for a body that will not come
    // (until the 10 s read timeout).
    assert_eq!(&status_line(&mut tcp).await, b"HTTP/1.1 413");
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut rest))
        .await
        .expect("closed within 5 s, not held for the read timeout")
        .unwrap();
    assert_eq!(up.count(), 0);
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_is_413() {
    let up = Upstream::start().await;
    let mut f = up.flags();
    f.extend([
        "--max-request-body".into(),
        "64KiB".into(),
        "--upstream".into(),
        format!("octos=http://{}/oc", up.addr),
    ]);
    let proxy = proxy(&f).await;
    // No Content-Length: chunked, so only counting while streaming can catch it.
    let chunks = (0..32).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b'x'; 4096])));
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let response = client()
        .post(format!("{}/proxy/octos/upload", proxy.url()))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert!(error_of(response).await.contains("65536"));
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn uploads_stream_through_without_being_buffered() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(1);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|chunk| (Ok::<_, std::io::Error>(chunk), rx))
    });
    let request = client()
        .post(format!("{}/proxy/voltagepark/upload-gated", proxy.url()))
        .header("content-type", "multipart/form-data; boundary=x")
        .body(reqwest::Body::wrap_stream(stream))
        .send();
    let response = tokio::spawn(request);
    tx.send(Bytes::from_static(b"first part;")).await.unwrap();
    // The upstream must see the first part while the rest has not even been produced.
    tokio::time::timeout(Duration::from_secs(5), up.first_chunk.notified())
        .await
        .expect("the first chunk reached the upstream before the body was complete");
    tx.send(Bytes::from_static(b"second part")).await.unwrap();
    drop(tx);
    let response = response.await.unwrap().unwrap();
    assert_eq!(response.text().await.unwrap(), "22");
    assert_eq!(
        up.seen()[0].headers["content-type"],
        "multipart/form-data; boundary=x"
    );
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn downloads_stream_through_without_being_buffered() {
    let up = Upstream::start().await;
    let proxy = proxy(&up.flags()).await;
    let mut response = client()
        .get(format!("{}/proxy/voltagepark/download-gated", proxy.url()))
        .send()
        .await
        .unwrap();
    let first = tokio::time::timeout(Duration::from_secs(5), response.chunk())
        .await
        .expect("the first chunk arrived before the upstream finished")
        .unwrap()
        .unwrap();
    assert_eq!(first, "first;");
    up.release.notify_one();
    assert_eq!(response.chunk().await.unwrap().unwrap(), "rest");
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_silent_upstream_is_a_504_read_timeout() {
    let up = Upstream::start().await;
    let proxy = proxy(&flags(&up, &["--read-timeout", "300ms"])).await;
    let started = Instant::now();
    let response = client()
        .get(format!("{}/proxy/voltagepark/slow-headers", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 504);
    assert!(error_of(response).await.contains("read timeout"));
    assert!(started.elapsed() < Duration::from_secs(2));
    proxy.shutdown().await.unwrap();
}

/// A client that never finishes its request headers, or stays idle after an answer, loses its
/// connection after `--header-read-timeout`.
#[tokio::test]
async fn a_client_slow_to_send_its_headers_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let up = Upstream::start().await;
    let proxy = proxy(&flags(&up, &["--header-read-timeout", "300ms"])).await;
    let request = format!(
        "GET /proxy/voltagepark/api/v1/locations/ HTTP/1.1\r\nHost: {}\r\n\r\n",
        proxy.addr
    );
    for (what, sent) in [
        ("half a head", &request[..30]),
        ("an answered request, then nothing", request.as_str()),
    ] {
        let mut tcp = tokio::net::TcpStream::connect(proxy.addr).await.unwrap();
        let started = Instant::now();
        tcp.write_all(sent.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut answer))
            .await
            .unwrap_or_else(|_| panic!("{what}: the connection is still open after 5 s"))
            .unwrap();
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(300),
            "{what}: closed after {took:?}"
        );
        let answer = String::from_utf8_lossy(&answer);
        if sent.len() == request.len() {
            assert!(answer.starts_with("HTTP/1.1 200"), "{what}: {answer}");
        }
    }
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_slow_exchange_is_a_504_total_timeout_or_cut_off() {
    let up = Upstream::start().await;
    let proxy = proxy(&flags(
        &up,
        &["--total-timeout", "500ms", "--read-timeout", "10s"],
    ))
    .await;
    let response = client()
        .get(format!("{}/proxy/voltagepark/slow-headers", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 504);
    assert!(error_of(response).await.contains("total timeout"));

    // Headers came in time but the body trickles for 3 s: it is cut off, not completed.
    let started = Instant::now();
    let response = client()
        .get(format!("{}/proxy/voltagepark/trickle", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.bytes().await.is_err(),
        "the body must be aborted, not end as if complete"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_upstream_that_never_accepts_is_a_504_connect_timeout() {
    // A listener with a full accept queue: the kernel drops further SYNs, so connecting hangs.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..4 {
        if let Ok(Ok(stream)) = tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(addr),
        )
        .await
        {
            fillers.push(stream);
        }
    }
    let f = vec![
        "--connect-timeout".to_string(),
        "300ms".to_string(),
        "--upstream".to_string(),
        format!("octos=http://{addr}"),
    ];
    let proxy = proxy(&f).await;
    let started = Instant::now();
    let response = client()
        .get(format!("{}/proxy/octos/backend/api/vms", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 504);
    assert!(error_of(response).await.contains("connect timeout"));
    assert!(started.elapsed() < Duration::from_secs(3));
    drop(listener);
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn requests_past_the_concurrency_limit_get_503() {
    let up = Upstream::start().await;
    let proxy = proxy(&flags(&up, &["--max-concurrent-requests", "1"])).await;
    // Each `client()` opens a new connection, and the proxy hands connections to its worker
    // threads in turn: on a machine with two or more cores the two requests are served by
    // different workers, so the limit must count across them.
    // The first request holds its slot while its body is still streaming.
    let mut first = client()
        .get(format!("{}/proxy/voltagepark/download-gated", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(first.chunk().await.unwrap().unwrap(), "first;");
    let second = client()
        .get(format!("{}/proxy/voltagepark/api/x", proxy.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 503);
    assert_eq!(second.headers()["retry-after"], "1");
    up.release.notify_one();
    while first.chunk().await.unwrap().is_some() {}
    drop(first);
    // The slot comes back once the first body is done.
    let mut third = None;
    for _ in 0..50 {
        let r = client()
            .get(format!("{}/proxy/voltagepark/api/y", proxy.url()))
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            third = Some(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(third.is_some(), "the slot was never released");
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_client_over_its_rate_gets_429_with_retry_after() {
    let up = Upstream::start().await;
    let proxy = proxy(&flags(&up, &["--rate-limit-per-minute", "2"])).await;
    // Three new connections, handed to the worker threads in turn: the buckets are shared.
    let url = format!("{}/proxy/voltagepark/api/v1/vms", proxy.url());
    assert_eq!(client().get(&url).send().await.unwrap().status(), 200);
    assert_eq!(client().get(&url).send().await.unwrap().status(), 200);
    let limited = client().get(&url).send().await.unwrap();
    assert_eq!(limited.status(), 429);
    let retry: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=30).contains(&retry), "{retry}");
    assert_eq!(up.count(), 2);
    proxy.shutdown().await.unwrap();
}
