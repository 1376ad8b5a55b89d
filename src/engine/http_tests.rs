//! Failover and faults against real sockets on 127.0.0.1: a port nobody
//! listens on, a server that never answers, and tiny HTTP servers that
//! answer one fixed reply. Every listener is dropped by the end of its test.

use super::*;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::thread;

/// A port that was free a moment ago (nothing listens on it).
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A server answering every request with `status` and `body`, for at most
/// `requests` requests.
fn answering(
    status: &str,
    body: &'static str,
    requests: usize,
) -> (String, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let status = status.to_string();
    let handle = thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    (url, handle)
}

fn nodes(urls: Vec<String>, timeout_ms: u64) -> Nodes {
    Nodes::new(urls, "X-KEY", "k".into(), Duration::from_millis(timeout_ms))
}

#[test]
fn a_wrong_address_fails_at_once_naming_each_node() {
    let a = format!("http://127.0.0.1:{}", closed_port());
    let b = format!("http://127.0.0.1:{}", closed_port());
    let started = Instant::now();
    let err = nodes(vec![a.clone(), b.clone()], 2000)
        .send(&Request::Get, "/health", &[])
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    let text = err.to_string();
    assert!(text.contains(&a) && text.contains(&b), "{text}");
    assert!(text.contains("connection refused"), "{text}");
}

#[test]
fn a_node_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let err = nodes(vec![url], 300)
        .send(&Request::Get, "/health", &[])
        .unwrap_err();
    assert!(matches!(err, Error::EngineUnreachable { .. }));
    assert!(err.to_string().contains("no answer within 0.3 s"), "{err}");
    drop(listener);
}

#[test]
fn a_refused_key_is_not_retried() {
    let (url, server) = answering("401 Unauthorized", r#"{"message": "Forbidden"}"#, 1);
    let err = nodes(vec![url], 2000)
        .send(&Request::Get, "/collections", &[])
        .unwrap_err();
    assert!(matches!(err, Error::EngineKey { .. }), "{err}");
    assert!(err.to_string().contains("--api-key"));
    server.join().unwrap();
}

#[test]
fn a_down_node_is_failed_over_to_the_next() {
    let down = format!("http://127.0.0.1:{}", closed_port());
    let (up, server) = answering("200 OK", r#"{"ok":true}"#, 2);
    let pool = nodes(vec![down, up.clone()], 2000);
    let reply = pool.send(&Request::Get, "/health", &[]).unwrap();
    assert_eq!((reply.status, reply.node.as_str()), (200, up.as_str()));
    assert_eq!(pool.failovers(), 1);
    // The node that answered is asked first from then on.
    pool.send(&Request::Get, "/health", &[]).unwrap();
    assert_eq!(pool.failovers(), 1);
    server.join().unwrap();
}

#[test]
fn urls_are_checked() {
    assert_eq!(
        node_url("http://127.0.0.1:8108/").unwrap(),
        "http://127.0.0.1:8108"
    );
    assert!(node_url("127.0.0.1:8108").is_err());
    assert!(node_url("http://host/path").is_err());
}
