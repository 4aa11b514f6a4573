//! The upstream client's HTTP/1.1, against an upstream that writes scripted bytes: chunked
//! and close-delimited answers, connections the upstream closes, informational answers, broken
//! answers, chunked request bodies. Which connections are reused and what is sent twice (only a
//! safe request that got no answer on a reused connection) is checked from the upstream's side.

mod common;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::BytesMut;
use cloudpane_proxy::RunningProxy;
use common::{client, proxy, raw_request};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the upstream does with the next request it reads.
enum Then {
    /// Writes these bytes and waits for the next request on the connection.
    Answer(&'static str),
    /// Writes these bytes and closes the connection, without saying so in a header.
    AnswerAndClose(&'static str),
    /// Closes the connection without answering.
    Close,
    /// Writes these bytes and then says nothing more for 5 s.
    AnswerAndStall(&'static str),
}

/// An upstream on loopback that answers each request it reads with the next step of a script.
#[derive(Clone)]
struct Scripted {
    addr: SocketAddr,
    script: Arc<Mutex<VecDeque<Then>>>,
    /// Each request as read: its head, then its body as sent.
    received: Arc<Mutex<Vec<String>>>,
    connections: Arc<AtomicUsize>,
}

impl Scripted {
    async fn start(script: Vec<Then>) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let upstream = Scripted {
            addr: listener.local_addr().unwrap(),
            script: Arc::new(Mutex::new(script.into())),
            received: Arc::default(),
            connections: Arc::default(),
        };
        let serving = upstream.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                serving.connections.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serving.clone().serve(tcp));
            }
        });
        upstream
    }

    async fn serve(self, mut tcp: TcpStream) {
        let mut buf = BytesMut::new();
        while let Some(request) = read_request(&mut tcp, &mut buf).await {
            self.received.lock().unwrap().push(request);
            let next = self.script.lock().unwrap().pop_front();
            match next {
                Some(Then::Answer(bytes)) => {
                    if tcp.write_all(bytes.as_bytes()).await.is_err() {
                        return;
                    }
                }
                Some(Then::AnswerAndClose(bytes)) => {
                    let _ = tcp.write_all(bytes.as_bytes()).await;
                    return;
                }
                Some(Then::AnswerAndStall(bytes)) => {
                    let _ = tcp.write_all(bytes.as_bytes()).await;
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    return;
                }
                Some(Then::Close) | None => return,
            }
        }
    }

    fn flags(&self) -> Vec<String> {
        vec![
            "--upstream".into(),
            format!("voltagepark=http://{}/vp", self.addr),
        ]
    }

    fn received(&self) -> Vec<String> {
        self.received.lock().unwrap().clone()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// One request from `tcp`: its head and its body (by Content-Length, or chunked, decoded), or
/// `None` when the connection ends.
async fn read_request(tcp: &mut TcpStream, buf: &mut BytesMut) -> Option<String> {
    let head = read_through(tcp, buf, b"\r\n\r\n").await?;
    let head = String::from_utf8(head.to_vec()).unwrap();
    let lower = head.to_ascii_lowercase();
    let mut body = Vec::new();
    if lower.contains("transfer-encoding: chunked") {
        loop {
            let line = read_through(tcp, buf, b"\r\n").await?;
            let size = std::str::from_utf8(&line[..line.len() - 2]).unwrap();
            let size = usize::from_str_radix(size.split(';').next().unwrap(), 16).unwrap();
            if size == 0 {
                read_through(tcp, buf, b"\r\n").await?;
                break;
            }
            while buf.len() < size + 2 {
                (tcp.read_buf(buf).await.ok()? > 0).then_some(())?;
            }
            body.extend_from_slice(&buf.split_to(size + 2)[..size]);
        }
    } else {
        let length = lower
            .lines()
            .find_map(|l| l.strip_prefix("content-length: "))
            .map_or(0, |n| n.trim().parse().unwrap());
        while buf.len() < length {
            (tcp.read_buf(buf).await.ok()? > 0).then_some(())?;
        }
        body.extend_from_slice(&buf.split_to(length));
    }
    Some(format!("{head}{}", String::from_utf8(body).unwrap()))
}

/// The bytes of `buf` (read from `tcp` as needed) up to and including the first `end`.
async fn read_through(tcp: &mut TcpStream, buf: &mut BytesMut, end: &[u8]) -> Option<BytesMut> {
    loop {
        if let Some(at) = buf.windows(end.len()).position(|w| w == end) {
            return Some(buf.split_to(at + end.len()));
        }
        (tcp.read_buf(buf).await.ok()? > 0).then_some(())?;
    }
}

/// The scripted upstream behind a proxy started with `extra` flags, and the proxied URL that
/// reaches it.
async fn behind_proxy(script: Vec<Then>, extra: &[&str]) -> (Scripted, RunningProxy, String) {
    let up = Scripted::start(script).await;
    let mut flags = up.flags();
    flags.extend(extra.iter().map(|f| f.to_string()));
    let proxy = proxy(&flags).await;
    let url = format!("{}/proxy/voltagepark/x", proxy.url());
    (up, proxy, url)
}

const OK_HELLO: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n\r\nhello";

#[tokio::test]
async fn chunked_answers_are_decoded_and_the_connection_reused() {
    let chunked =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n\
                   5;note=x\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n";
    let (up, proxy, url) = behind_proxy(
        vec![
            Then::Answer(chunked),
            Then::Answer(chunked),
            Then::Answer(chunked),
        ],
        &[],
    )
    .await;
    let browser = client();
    for _ in 0..3 {
        let answer = browser.get(&url).send().await.unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.headers()["content-type"], "text/plain");
        assert!(answer.headers().get("x-trailer").is_none());
        assert_eq!(answer.text().await.unwrap(), "hello world");
    }
    assert_eq!(up.received().len(), 3);
    assert_eq!(
        up.connections(),
        1,
        "one upstream connection carried all three"
    );
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn answers_that_end_their_connection_are_read_whole_and_not_reused() {
    let (up, proxy, url) = behind_proxy(
        vec![
            Then::AnswerAndClose(
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n\r\nuntil the end",
            ),
            Then::Answer("HTTP/1.1 200 OK\r\nConnection: close\r\ncontent-length: 2\r\n\r\nok"),
            Then::Answer("HTTP/1.0 200 OK\r\ncontent-length: 3\r\n\r\nold"),
            Then::Answer(OK_HELLO),
            Then::Answer(OK_HELLO),
        ],
        &[],
    )
    .await;
    let browser = client();
    for expected in ["until the end", "ok", "old", "hello", "hello"] {
        let answer = browser.get(&url).send().await.unwrap();
        assert_eq!(answer.status(), 200);
        assert_eq!(answer.text().await.unwrap(), expected);
    }
    assert_eq!(
        up.connections(),
        4,
        "a new connection after each of the first three, the last two share one"
    );
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn only_a_safe_request_with_no_answer_on_a_reused_connection_is_sent_again() {
    let (up, proxy, url) = behind_proxy(
        vec![
            // A connection that answered once; the upstream drops the next request on it.
            Then::Answer(OK_HELLO),
            Then::Close,
            // The GET again, on a new connection.
            Then::Answer(OK_HELLO),
            // A POST on the reused connection, dropped: never sent again.
            Then::Close,
            // A connection the upstream closes while it is idle: not used again.
            Then::AnswerAndClose(OK_HELLO),
            Then::Answer(OK_HELLO),
        ],
        &[],
    )
    .await;
    let browser = client();
    let get = || async { browser.get(&url).send().await.unwrap() };
    assert_eq!(get().await.text().await.unwrap(), "hello");
    assert_eq!(get().await.text().await.unwrap(), "hello");
    assert_eq!(up.connections(), 2);

    let post = browser
        .post(&url)
        .header("content-type", "application/json")
        .body(r#"{"deploy":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 502);
    let count = |method: &str| {
        up.received()
            .iter()
            .filter(|r| r.starts_with(method))
            .count()
    };
    assert_eq!(count("POST "), 1, "a POST is never sent twice");

    assert_eq!(get().await.text().await.unwrap(), "hello");
    // Let the upstream's close reach the proxy while the connection is idle. A POST (never
    // sent twice) then succeeds only if the closed connection is noticed before it is used.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let post = browser.post(&url).body("{}").send().await.unwrap();
    assert_eq!(post.text().await.unwrap(), "hello");
    assert_eq!(
        count("GET "),
        4,
        "three answered GETs and the one dropped on a reused connection"
    );
    assert_eq!(count("POST "), 2, "the dropped POST and the answered one");
    assert_eq!(up.connections(), 4);
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn informational_answers_are_skipped() {
    let (_up, proxy, url) = behind_proxy(
        vec![Then::Answer(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n\
         HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n{}",
        )],
        &[],
    )
    .await;
    let answer = client().get(&url).send().await.unwrap();
    assert_eq!(answer.status(), 201);
    assert!(answer.headers().get("link").is_none());
    assert_eq!(answer.text().await.unwrap(), "{}");
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn broken_answers_are_a_bad_gateway_or_cut_off() {
    for broken in [
        "SSH-2.0-OpenSSH_9.2\r\n\r\n",
        "HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello",
        "HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
    ] {
        let (_up, proxy, url) = behind_proxy(vec![Then::AnswerAndClose(broken)], &[]).await;
        let answer = client().get(&url).send().await.unwrap();
        assert_eq!(answer.status(), 502, "{broken:?}");
        proxy.shutdown().await.unwrap();
    }
    for cut_short in [
        "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhel",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhelloXX",
    ] {
        let (_up, proxy, url) = behind_proxy(vec![Then::AnswerAndClose(cut_short)], &[]).await;
        // Either way the browser sees a failed answer, never a short one that looks whole:
        // hyper drops the connection before the head when the body fails at once.
        match client().get(&url).send().await {
            Err(_) => {}
            Ok(answer) => {
                assert_eq!(answer.status(), 200);
                assert!(
                    answer.bytes().await.is_err(),
                    "{cut_short:?} must reach the browser as an aborted answer"
                );
            }
        }
        proxy.shutdown().await.unwrap();
    }
}

#[tokio::test]
async fn request_bodies_without_a_length_are_sent_chunked() {
    let (up, proxy, _) = behind_proxy(
        vec![Then::AnswerAndClose(
            "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok",
        )],
        &[],
    )
    .await;
    let (status, _) = raw_request(
        proxy.addr,
        &format!(
            "POST /proxy/voltagepark/keys HTTP/1.1\r\nHost: {}\r\nContent-Type: text/plain\r\n\
             Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
             5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
            proxy.addr
        ),
    )
    .await;
    assert_eq!(status, 200);
    let received = up.received();
    assert_eq!(received.len(), 1);
    let (head, body) = received[0].split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("POST /vp/keys HTTP/1.1\r\n"), "{head}");
    assert!(head.contains("\r\ntransfer-encoding: chunked"), "{head}");
    assert!(!head.contains("content-length"), "{head}");
    assert_eq!(body, "hello world");
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_body_that_stops_coming_is_cut_off_after_the_read_timeout() {
    let (_up, proxy, url) = behind_proxy(
        vec![Then::AnswerAndStall(
            "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nhel",
        )],
        &["--read-timeout", "300ms"],
    )
    .await;
    let started = std::time::Instant::now();
    let answer = client().get(&url).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert!(answer.bytes().await.is_err(), "cut off, not short");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(4),
        "cut off after the read timeout, not when the upstream gave up: {took:?}"
    );
    proxy.shutdown().await.unwrap();
}

const OK_WORLD: &str = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nworld";

/// Each of `answers` on its own proxy: what the browser gets, `Err` for an aborted answer.
async fn each_answer(answers: &[&'static str]) -> Vec<Result<(u16, String), String>> {
    let mut got = Vec::new();
    for &answer in answers {
        let (_up, proxy, url) = behind_proxy(vec![Then::AnswerAndClose(answer)], &[]).await;
        got.push(match client().get(&url).send().await {
            Err(error) => Err(error.to_string()),
            Ok(answer) => {
                let status = answer.status().as_u16();
                answer
                    .text()
                    .await
                    .map(|text| (status, text))
                    .map_err(|e| e.to_string())
            }
        });
        proxy.shutdown().await.unwrap();
    }
    got
}

#[tokio::test]
async fn bytes_glued_after_an_answer_are_never_the_next_answer() {
    let (up, proxy, url) = behind_proxy(
        vec![
            Then::Answer(
                "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello\
                 HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nEVIL!",
            ),
            Then::Answer(OK_WORLD),
        ],
        &[],
    )
    .await;
    let browser = client();
    assert_eq!(
        browser
            .get(&url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "hello"
    );
    assert_eq!(
        browser
            .get(&url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "world"
    );
    assert_eq!(
        up.connections(),
        2,
        "the connection with stray bytes is closed"
    );
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_204_with_a_length_has_no_body_and_its_stray_bytes_are_no_answer() {
    let (up, proxy, url) = behind_proxy(
        vec![
            Then::Answer("HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\nhello"),
            Then::Answer(OK_WORLD),
        ],
        &[],
    )
    .await;
    let browser = client();
    let answer = browser.get(&url).send().await.unwrap();
    assert_eq!(answer.status(), 204);
    assert!(answer
        .headers()
        .get("content-length")
        .is_none_or(|l| l == "0"));
    assert_eq!(answer.text().await.unwrap(), "");
    assert_eq!(
        browser
            .get(&url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "world"
    );
    assert_eq!(up.connections(), 2);
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn chunked_wins_over_a_length_and_the_length_is_not_passed_on() {
    let got = each_answer(&[
        "HTTP/1.1 200 OK\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n\
         5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-length: 100\r\n\r\n\
         5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    ])
    .await;
    // reqwest fails a body that does not match its Content-Length.
    assert_eq!(got, vec![Ok((200, "hello world".into())); 2]);
}

#[tokio::test]
async fn malformed_chunks_and_folded_headers_never_pass_as_an_answer() {
    let got = each_answer(&[
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nhello\r\n0\r\n\r\n",
    ])
    .await;
    for (answer, got) in got.iter().enumerate() {
        assert!(got.is_err(), "answer {answer}: {got:?}");
    }
    let got = each_answer(&[
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nx-request-id: a\r\n b\r\n\
         content-length: 2\r\n\r\nok",
        "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\tcontent-type: text/html\r\n\r\nok",
    ])
    .await;
    assert_eq!(got, vec![Ok((502, got_502_text(&got[0]))); 2]);
}

/// The body of a 502 the proxy answered (checked to be its own JSON error).
fn got_502_text(got: &Result<(u16, String), String>) -> String {
    let (status, text) = got.clone().unwrap();
    assert_eq!(status, 502, "{text}");
    assert!(text.starts_with("{\"error\":"), "{text}");
    text
}

#[tokio::test]
async fn a_silent_upstream_gets_a_gateway_timeout_after_the_read_timeout() {
    let (_up, proxy, url) =
        behind_proxy(vec![Then::AnswerAndStall("")], &["--read-timeout", "300ms"]).await;
    let started = std::time::Instant::now();
    let answer = client().get(&url).send().await.unwrap();
    assert_eq!(answer.status(), 504);
    assert!(started.elapsed() < Duration::from_secs(4));
    proxy.shutdown().await.unwrap();
}

#[tokio::test]
async fn hop_by_hop_headers_and_cookies_of_the_upstream_stay_behind() {
    let got = {
        let (_up, proxy, url) = behind_proxy(
            vec![Then::Answer(
                "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Request-Id\r\n\
                 x-request-id: r1\r\netag: \"e1\"\r\nset-cookie: session=upstream\r\n\
                 keep-alive: timeout=5\r\ncontent-length: 2\r\n\r\nok",
            )],
            &[],
        )
        .await;
        let answer = client().get(&url).send().await.unwrap();
        let headers = answer.headers().clone();
        assert_eq!(answer.text().await.unwrap(), "ok");
        proxy.shutdown().await.unwrap();
        headers
    };
    assert_eq!(got["etag"], "\"e1\"");
    for dropped in ["x-request-id", "set-cookie", "keep-alive"] {
        assert!(got.get(dropped).is_none(), "{dropped}: {got:?}");
    }
}

#[tokio::test]
async fn a_head_answer_keeps_the_length_of_what_a_get_would_return() {
    let (_up, proxy, url) = behind_proxy(
        vec![Then::Answer(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n\r\n",
        )],
        &[],
    )
    .await;
    let answer = client().head(&url).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["content-length"], "5");
    assert!(answer.bytes().await.unwrap().is_empty());
    proxy.shutdown().await.unwrap();
}
