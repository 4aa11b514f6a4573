//! HTTP/1.1 as the upstream client speaks it (RFC 9112): the request head it writes, the
//! response head it reads (with httparse, the parser hyper uses), how the response body is
//! framed, and the chunked decoder. No input or output here: `upstream.rs` moves the bytes.
//!
//! Written for the proxy rather than going through hyper's client connection, which runs each
//! connection as a task of its own and hands every request and answer across channels; doing
//! the exchange in the request's own task saved about 9,000 instructions per proxied 1 KiB
//! request (callgrind, `crates/proxy/callgrind.sh`; see the proxy README).

use std::mem::MaybeUninit;

use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use bytes::{Buf, Bytes, BytesMut};

/// The longest response head read (hyper's client allowed about 400 KiB of buffer; a provider's
/// head is a few hundred bytes).
pub const MAX_HEAD: usize = 64 * 1024;

/// At most this many response headers (hyper's default was 100).
const MAX_HEADERS: usize = 100;

/// The longest chunk-size line and the most trailer bytes a chunked body may have.
const MAX_CHUNK_LINE: usize = 4 * 1024;
const MAX_TRAILERS: usize = 16 * 1024;

/// Why the upstream's answer could not be read as HTTP/1.1. Never holds the upstream's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("the upstream's response head is malformed")]
    BadHead,
    #[error("the upstream's response head is too large")]
    HeadTooLarge,
    #[error("the upstream answered with conflicting or invalid Content-Length")]
    BadLength,
    #[error("the upstream switched protocols")]
    Upgrade,
    #[error("the upstream's chunked body is malformed")]
    BadChunk,
    #[error("the upstream closed the connection before the answer ended")]
    Incomplete,
}

/// The request head: `{method} {path} HTTP/1.1`, `host`, the headers (already validated, as
/// parsed from the browser's request), and `transfer-encoding: chunked` when the body's length
/// is not known.
pub fn write_request_head<'a>(
    out: &mut Vec<u8>,
    method: &Method,
    path_and_query: &str,
    host: &HeaderValue,
    headers: impl Iterator<Item = (&'a HeaderName, &'a HeaderValue)>,
    chunked: bool,
) {
    out.extend_from_slice(method.as_str().as_bytes());
    out.push(b' ');
    out.extend_from_slice(path_and_query.as_bytes());
    out.extend_from_slice(b" HTTP/1.1\r\nhost: ");
    out.extend_from_slice(host.as_bytes());
    out.extend_from_slice(b"\r\n");
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if chunked {
        out.extend_from_slice(b"transfer-encoding: chunked\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

/// How the response body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// No body: a HEAD request's answer, 204, 304.
    Empty,
    /// `Content-Length` bytes.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Everything until the upstream closes the connection.
    UntilClose,
}

/// A complete final response head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseHead {
    pub status: StatusCode,
    /// Bytes of the buffer the head (and any informational heads before it) took.
    pub len: usize,
    pub framing: Framing,
    /// Whether the connection may carry another request once the body has been read.
    pub keep_alive: bool,
}

/// Parses the response head at the start of `buf`, skipping informational (1xx) answers;
/// `None` when more bytes are needed. `header` is given each header of the final answer (the
/// name as sent, the value as bytes), `Content-Length` last and only when no
/// `Transfer-Encoding` is present (the body is then not that long).
pub fn parse_response_head(
    buf: &[u8],
    request: &Method,
    mut header: impl FnMut(&str, &[u8]) -> Result<(), WireError>,
) -> Result<Option<ResponseHead>, WireError> {
    let mut start = 0;
    loop {
        let mut slots = [const { MaybeUninit::uninit() }; MAX_HEADERS];
        let mut response = httparse::Response::new(&mut []);
        let parsed = httparse::ParserConfig::default().parse_response_with_uninit_headers(
            &mut response,
            &buf[start..],
            &mut slots,
        );
        let len = match parsed {
            Ok(httparse::Status::Complete(len)) => len,
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
                return Err(WireError::HeadTooLarge)
            }
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(httparse::Error::TooManyHeaders) => return Err(WireError::HeadTooLarge),
            Err(_) => return Err(WireError::BadHead),
        };
        let code = response.code.ok_or(WireError::BadHead)?;
        let status = StatusCode::from_u16(code).map_err(|_| WireError::BadHead)?;
        if status == StatusCode::SWITCHING_PROTOCOLS {
            return Err(WireError::Upgrade);
        }
        if status.is_informational() {
            start += len;
            continue;
        }

        // One pass: each header but Content-Length goes to `header` at once; Content-Length
        // only at the end, once it is known that no Transfer-Encoding overrides it.
        let mut length: Option<(u64, &[u8])> = None;
        let mut transfer_encoding: Option<&[u8]> = None;
        let mut close = response.version == Some(0);
        for h in response.headers.iter() {
            if h.name.eq_ignore_ascii_case("content-length") {
                for part in h.value.split(|&b| b == b',') {
                    let n = parse_length(part.trim_ascii())?;
                    if length.is_some_and(|(seen, _)| seen != n) {
                        return Err(WireError::BadLength);
                    }
                    length = Some((n, h.value));
                }
                continue;
            }
            if h.name.eq_ignore_ascii_case("transfer-encoding") {
                // Only the last coding matters: chunked or not.
                transfer_encoding = Some(h.value);
            } else if h.name.eq_ignore_ascii_case("connection") {
                for token in h.value.split(|&b| b == b',') {
                    let token = token.trim_ascii();
                    if token.eq_ignore_ascii_case(b"close") {
                        close = true;
                    } else if token.eq_ignore_ascii_case(b"keep-alive") {
                        close &= response.version != Some(0);
                    }
                }
            }
            header(h.name, h.value)?;
        }
        let length = match (length, transfer_encoding) {
            (Some((n, value)), None) => {
                header("content-length", value)?;
                Some(n)
            }
            _ => None,
        };

        let framing = if *request == Method::HEAD
            || status == StatusCode::NO_CONTENT
            || status == StatusCode::NOT_MODIFIED
        {
            Framing::Empty
        } else if let Some(codings) = transfer_encoding {
            let last = codings.rsplit(|&b| b == b',').next().unwrap_or_default();
            if last.trim_ascii().eq_ignore_ascii_case(b"chunked") {
                Framing::Chunked
            } else {
                Framing::UntilClose
            }
        } else {
            match length {
                Some(0) => Framing::Empty,
                Some(n) => Framing::Length(n),
                None => Framing::UntilClose,
            }
        };
        return Ok(Some(ResponseHead {
            status,
            len: start + len,
            keep_alive: !close && framing != Framing::UntilClose,
            framing,
        }));
    }
}

/// A Content-Length value: digits only.
fn parse_length(digits: &[u8]) -> Result<u64, WireError> {
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(WireError::BadLength);
    }
    Ok(digits
        .iter()
        .fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

/// What a body decoder made of the buffered bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Some of the body.
    Data(Bytes),
    /// Nothing yet: read more.
    NeedMore,
    /// The body has ended.
    Done,
}

/// Where a body is: how much of it is left, in its framing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyState {
    /// This many bytes left of a `Content-Length` body (or none: ended).
    Length(u64),
    Chunked(Chunk),
    UntilClose,
}

/// Where a chunked body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chunk {
    /// At a chunk-size line.
    Size,
    /// This many bytes left of the chunk's data.
    Data(u64),
    /// At the CRLF after a chunk's data.
    DataEnd,
    /// After the last chunk: trailer lines (ignored) until an empty line; this many seen.
    Trailers(usize),
    Ended,
}

impl BodyState {
    /// The state at the start of a body framed as `framing`.
    pub fn new(framing: Framing) -> Self {
        match framing {
            Framing::Empty => BodyState::Length(0),
            Framing::Length(n) => BodyState::Length(n),
            Framing::Chunked => BodyState::Chunked(Chunk::Size),
            Framing::UntilClose => BodyState::UntilClose,
        }
    }

    /// Whether the body has been read to its end.
    pub fn ended(&self) -> bool {
        matches!(
            self,
            BodyState::Length(0) | BodyState::Chunked(Chunk::Ended)
        )
    }

    /// Bytes known to be left, when the framing says.
    pub fn exact_len(&self) -> Option<u64> {
        match self {
            BodyState::Length(n) => Some(*n),
            BodyState::Chunked(Chunk::Ended) => Some(0),
            _ => None,
        }
    }

    /// The next step, taking from `buf` what it uses. `eof` says the upstream has closed the
    /// connection (nothing more will come than what is in `buf`).
    pub fn step(&mut self, buf: &mut BytesMut, eof: bool) -> Result<Step, WireError> {
        loop {
            match self {
                BodyState::Length(0) | BodyState::Chunked(Chunk::Ended) => return Ok(Step::Done),
                BodyState::Length(left) => {
                    if buf.is_empty() {
                        return if eof {
                            Err(WireError::Incomplete)
                        } else {
                            Ok(Step::NeedMore)
                        };
                    }
                    let take = (*left).min(buf.len() as u64) as usize;
                    *left -= take as u64;
                    return Ok(Step::Data(buf.split_to(take).freeze()));
                }
                BodyState::UntilClose => {
                    if !buf.is_empty() {
                        return Ok(Step::Data(buf.split().freeze()));
                    }
                    return Ok(if eof { Step::Done } else { Step::NeedMore });
                }
                BodyState::Chunked(chunk) => {
                    let step = chunk.step(buf)?;
                    if step == Step::NeedMore && eof {
                        return Err(WireError::Incomplete);
                    }
                    if let Some(step) = step_or_continue(step) {
                        return Ok(step);
                    }
                }
            }
        }
    }
}

/// `None` for a step that only moved the decoder on (go round again).
fn step_or_continue(step: Step) -> Option<Step> {
    match step {
        Step::Data(data) if data.is_empty() => None,
        other => Some(other),
    }
}

impl Chunk {
    /// One move of the chunked decoder: data, `NeedMore`, `Done`, or an empty `Data` when it
    /// only consumed framing (a size line, a CRLF, a trailer line).
    fn step(&mut self, buf: &mut BytesMut) -> Result<Step, WireError> {
        match *self {
            Chunk::Size => match httparse::parse_chunk_size(buf) {
                Ok(httparse::Status::Complete((used, size))) => {
                    buf.advance(used);
                    *self = if size == 0 {
                        Chunk::Trailers(0)
                    } else {
                        Chunk::Data(size)
                    };
                    Ok(Step::Data(Bytes::new()))
                }
                Ok(httparse::Status::Partial) if buf.len() > MAX_CHUNK_LINE => {
                    Err(WireError::BadChunk)
                }
                Ok(httparse::Status::Partial) => Ok(Step::NeedMore),
                Err(_) => Err(WireError::BadChunk),
            },
            Chunk::Data(left) => {
                if buf.is_empty() {
                    return Ok(Step::NeedMore);
                }
                let take = left.min(buf.len() as u64) as usize;
                *self = if take as u64 == left {
                    Chunk::DataEnd
                } else {
                    Chunk::Data(left - take as u64)
                };
                Ok(Step::Data(buf.split_to(take).freeze()))
            }
            Chunk::DataEnd => {
                if buf.len() < 2 {
                    return Ok(Step::NeedMore);
                }
                if &buf[..2] != b"\r\n" {
                    return Err(WireError::BadChunk);
                }
                buf.advance(2);
                *self = Chunk::Size;
                Ok(Step::Data(Bytes::new()))
            }
            Chunk::Trailers(seen) => {
                let Some(end) = buf.windows(2).position(|w| w == b"\r\n") else {
                    return if seen + buf.len() > MAX_TRAILERS {
                        Err(WireError::BadChunk)
                    } else {
                        Ok(Step::NeedMore)
                    };
                };
                buf.advance(end + 2);
                if end == 0 {
                    *self = Chunk::Ended;
                    return Ok(Step::Done);
                }
                if seen + end + 2 > MAX_TRAILERS {
                    return Err(WireError::BadChunk);
                }
                *self = Chunk::Trailers(seen + end + 2);
                Ok(Step::Data(Bytes::new()))
            }
            Chunk::Ended => Ok(Step::Done),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{header, HeaderMap};

    fn head(raw: &str, method: &Method) -> Result<Option<(ResponseHead, Vec<String>)>, WireError> {
        let mut seen = Vec::new();
        let parsed = parse_response_head(raw.as_bytes(), method, |name, value| {
            seen.push(format!("{name}: {}", String::from_utf8_lossy(value)));
            Ok(())
        })?;
        Ok(parsed.map(|h| (h, seen)))
    }

    fn get(raw: &str) -> Result<Option<(ResponseHead, Vec<String>)>, WireError> {
        head(raw, &Method::GET)
    }

    /// The whole body of `raw` framed as `state`, read in pieces of `piece` bytes.
    fn body(mut state: BodyState, raw: &[u8], piece: usize) -> Result<(Vec<u8>, usize), WireError> {
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        let mut fed = 0;
        loop {
            match state.step(&mut buf, fed == raw.len())? {
                Step::Data(data) => out.extend_from_slice(&data),
                Step::Done => return Ok((out, buf.len())),
                Step::NeedMore => {
                    let next = (fed + piece).min(raw.len());
                    buf.extend_from_slice(&raw[fed..next]);
                    fed = next;
                }
            }
        }
    }

    #[test]
    fn the_request_head_is_written_as_sent() {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer t"));
        let mut out = Vec::new();
        let host = HeaderValue::from_static("api.example:8443");
        write_request_head(
            &mut out,
            &Method::POST,
            "/v1/x?a=1",
            &host,
            headers.iter(),
            true,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "POST /v1/x?a=1 HTTP/1.1\r\nhost: api.example:8443\r\naccept: application/json\r\n\
             authorization: Bearer t\r\ntransfer-encoding: chunked\r\n\r\n"
        );
    }

    #[test]
    fn a_head_is_parsed_with_its_framing() {
        let (h, seen) =
            get("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
                .unwrap()
                .unwrap();
        assert_eq!(h.status, StatusCode::OK);
        assert_eq!(h.framing, Framing::Length(5));
        assert!(h.keep_alive);
        assert_eq!(h.len, 64);
        assert_eq!(seen, ["Content-Type: text/plain", "content-length: 5"]);

        assert_eq!(get("HTTP/1.1 200 OK\r\nContent-Le").unwrap(), None);
        let (h, _) = get("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(h.framing, Framing::Chunked);
        let (h, _) = get("HTTP/1.1 200 OK\r\n\r\n").unwrap().unwrap();
        assert_eq!(h.framing, Framing::UntilClose);
        assert!(
            !h.keep_alive,
            "a body read until close leaves no connection to reuse"
        );
        let (h, _) = get("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(h.framing, Framing::UntilClose);
        let (h, _) = get("HTTP/1.1 204 No Content\r\n\r\n").unwrap().unwrap();
        assert_eq!(h.framing, Framing::Empty);
        let (h, _) = get("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(h.framing, Framing::Empty);
        let (h, seen) = head(
            "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n",
            &Method::HEAD,
        )
        .unwrap()
        .unwrap();
        assert_eq!(h.framing, Framing::Empty);
        assert_eq!(
            seen,
            ["content-length: 10"],
            "a HEAD answer keeps its length"
        );
    }

    #[test]
    fn connection_reuse_follows_the_version_and_connection_header() {
        let reuse = |raw: &str| get(raw).unwrap().unwrap().0.keep_alive;
        assert!(!reuse(
            "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
        ));
        assert!(!reuse(
            "HTTP/1.1 200 OK\r\nConnection: foo, Close\r\nContent-Length: 0\r\n\r\n"
        ));
        assert!(!reuse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assert!(reuse(
            "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"
        ));
        assert!(reuse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    }

    #[test]
    fn informational_answers_are_skipped() {
        let raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n\
                   HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}";
        let (h, seen) = get(raw).unwrap().unwrap();
        assert_eq!(h.status, StatusCode::CREATED);
        assert_eq!(&raw[h.len..], "{}");
        assert_eq!(seen, ["content-length: 2"]);
        assert_eq!(
            get("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 2").unwrap(),
            None
        );
        assert_eq!(
            get("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"),
            Err(WireError::Upgrade)
        );
    }

    #[test]
    fn lengths_must_agree_and_chunked_wins() {
        assert_eq!(
            get("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"),
            Err(WireError::BadLength)
        );
        assert_eq!(
            get("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n"),
            Err(WireError::BadLength)
        );
        assert_eq!(
            get("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"),
            Err(WireError::BadLength)
        );
        assert_eq!(
            get("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n"),
            Err(WireError::BadLength)
        );
        assert_eq!(
            get("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n"),
            Err(WireError::BadLength)
        );
        let (h, _) = get("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(h.framing, Framing::Length(5));
        let (h, seen) =
            get("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")
                .unwrap()
                .unwrap();
        assert_eq!(h.framing, Framing::Chunked);
        assert_eq!(
            seen,
            ["Transfer-Encoding: chunked"],
            "the length is not passed on"
        );
    }

    #[test]
    fn malformed_heads_are_refused() {
        assert_eq!(get("HTTP/1.1 2000 OK\r\n\r\n"), Err(WireError::BadHead));
        assert_eq!(get("SSH-2.0-OpenSSH\r\n\r\n"), Err(WireError::BadHead));
        assert_eq!(
            get("HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n"),
            Err(WireError::BadHead)
        );
        assert_eq!(
            get("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n"),
            Err(WireError::BadHead)
        );
        let many: String = (0..101).map(|i| format!("X-{i}: v\r\n")).collect();
        assert_eq!(
            get(&format!("HTTP/1.1 200 OK\r\n{many}\r\n")),
            Err(WireError::HeadTooLarge)
        );
        let long = format!("HTTP/1.1 200 OK\r\nX: {}", "a".repeat(MAX_HEAD));
        assert_eq!(get(&long), Err(WireError::HeadTooLarge));
    }

    #[test]
    fn length_bodies_end_at_their_length() {
        let (out, left) = body(BodyState::Length(5), b"helloHTTP/1.1", 3).unwrap();
        assert_eq!(out, b"hello");
        assert_eq!(left, 1, "bytes after the body stay in the buffer");
        assert_eq!(
            body(BodyState::Length(5), b"hel", 2),
            Err(WireError::Incomplete)
        );
        let (out, _) = body(BodyState::UntilClose, b"all of it", 4).unwrap();
        assert_eq!(out, b"all of it");
    }

    #[test]
    fn chunked_bodies_decode_in_any_pieces() {
        let raw =
            b"5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\n";
        for piece in [1, 2, 3, 7, 64, 1000] {
            let mut state = BodyState::new(Framing::Chunked);
            let (out, left) = body(state, raw, piece).unwrap();
            assert_eq!(out, b"helloabcdefghijklmnopqrstuvwxyz", "pieces of {piece}");
            assert_eq!(left, 0);
            state = BodyState::Chunked(Chunk::Ended);
            assert!(state.ended());
        }
        let (out, _) = body(BodyState::new(Framing::Chunked), b"0\r\n\r\n", 1).unwrap();
        assert!(out.is_empty());
    }

    #[test]
    fn malformed_chunked_bodies_are_refused() {
        let chunked = BodyState::new(Framing::Chunked);
        assert_eq!(
            body(chunked, b"zz\r\nhello\r\n0\r\n\r\n", 64),
            Err(WireError::BadChunk)
        );
        assert_eq!(
            body(chunked, b"5\r\nhelloXX0\r\n\r\n", 64),
            Err(WireError::BadChunk)
        );
        assert_eq!(body(chunked, b"5\r\nhel", 64), Err(WireError::Incomplete));
        assert_eq!(
            body(chunked, b"5\r\nhello\r\n0\r\n", 64),
            Err(WireError::Incomplete)
        );
        let long_line = [b"5;".as_slice(), &[b'x'; MAX_CHUNK_LINE + 10]].concat();
        assert_eq!(body(chunked, &long_line, 512), Err(WireError::BadChunk));
        let trailers = [b"0\r\n".as_slice(), &[b'x'; MAX_TRAILERS + 10]].concat();
        assert_eq!(body(chunked, &trailers, 512), Err(WireError::BadChunk));
    }
}
