//! HTTP to a cluster of engine nodes, with failover as the engines' own
//! clients do it: each request goes to the node that last answered; a node
//! that cannot be reached, times out or answers 5xx (a follower with no
//! leader, a node still starting) is left for the next one, round after
//! round with a short pause, until a node answers or the retry budget is
//! spent. A round in which no node answered at all, before any node ever
//! did, ends at once: that is a wrong address, not a failover. A refused API
//! key (401/403) is never retried. Every request the engines get is an
//! upsert, a delete by filter or a read, so sending one again is safe.

use std::cell::Cell;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long requests are retried across nodes before giving up.
const RETRY_BUDGET: Duration = Duration::from_secs(60);

/// The nodes of one cluster and the key to talk to them.
pub(crate) struct Nodes {
    agent: ureq::Agent,
    urls: Vec<String>,
    key_header: &'static str,
    key: String,
    timeout: Duration,
    /// The node that answered last.
    current: Cell<usize>,
    /// Whether any node has answered since this command started.
    answered: Cell<bool>,
    /// How many times a request moved to another node.
    failovers: Cell<u64>,
}

/// An HTTP answer under 500 (5xx answers are failed over).
#[derive(Debug)]
pub(crate) struct Reply {
    /// The status code.
    pub(crate) status: u16,
    /// The body.
    pub(crate) body: String,
    /// The node that answered.
    pub(crate) node: String,
}

impl Reply {
    /// The engine's `message` in a JSON error body, else the body itself.
    pub(crate) fn message(&self) -> String {
        serde_json::from_str::<serde_json::Value>(&self.body)
            .ok()
            .and_then(|v| {
                v.get("message")
                    .and_then(|m| m.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| self.body.trim().chars().take(200).collect())
    }
}

/// One request, to be sent to whichever node answers.
pub(crate) enum Request<'a> {
    Get,
    Delete,
    Post(&'a [u8]),
}

/// A node's URL, checked: `http://` or `https://`, a host, no trailing `/`.
pub(crate) fn node_url(text: &str) -> Result<String> {
    let trimmed = text.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains('/') => Ok(trimmed.to_string()),
        _ => Err(Error::EngineSettings {
            detail: format!(
                "--node `{text}` is not a node's URL (write it as http://HOST:PORT or https://HOST)"
            ),
        }),
    }
}

impl Nodes {
    /// The nodes at `urls` (already checked by [`node_url`]), each request
    /// given `timeout`, the key sent in the header `key_header`.
    pub(crate) fn new(
        urls: Vec<String>,
        key_header: &'static str,
        key: String,
        timeout: Duration,
    ) -> Nodes {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(Duration::from_secs(3))))
            .build();
        Nodes {
            agent: config.into(),
            urls,
            key_header,
            key,
            timeout,
            current: Cell::new(0),
            answered: Cell::new(false),
            failovers: Cell::new(0),
        }
    }

    /// The nodes, as given.
    pub(crate) fn urls(&self) -> &[String] {
        &self.urls
    }

    /// How many times a request moved on to another node.
    pub(crate) fn failovers(&self) -> u64 {
        self.failovers.get()
    }

    /// Sends `request` to `path` (with `query`) on the first node that
    /// answers, failing over as the module doc says.
    pub(crate) fn send(
        &self,
        request: &Request<'_>,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Reply> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(200);
        loop {
            let mut failures = Vec::new();
            let mut any_answer = false;
            for step in 0..self.urls.len() {
                let at = (self.current.get() + step) % self.urls.len();
                let url = &self.urls[at];
                match self.send_once(url, request, path, query) {
                    Ok(reply) if reply.status < 500 => {
                        if step > 0 {
                            self.failovers.set(self.failovers.get() + 1);
                        }
                        self.current.set(at);
                        self.answered.set(true);
                        if reply.status == 401 || reply.status == 403 {
                            return Err(Error::EngineKey {
                                node: url.clone(),
                                message: reply.message(),
                            });
                        }
                        return Ok(reply);
                    }
                    Ok(reply) => {
                        any_answer = true;
                        self.answered.set(true);
                        failures.push(format!("{url}: {} {}", reply.status, reply.message()));
                    }
                    Err(reason) => failures.push(format!("{url}: {reason}")),
                }
            }
            let spent = started.elapsed();
            if (!any_answer && !self.answered.get()) || spent + pause > RETRY_BUDGET {
                return Err(Error::EngineUnreachable {
                    tried: failures.join("; "),
                    seconds: spent.as_secs_f64(),
                });
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(2));
        }
    }

    /// One try on one node: the reply, or why there was none.
    fn send_once(
        &self,
        node: &str,
        request: &Request<'_>,
        path: &str,
        query: &[(&str, String)],
    ) -> std::result::Result<Reply, String> {
        let url = format!("{node}{path}");
        let result = match request {
            Request::Get => {
                let mut r = self.agent.get(&url).header(self.key_header, &self.key);
                for (k, v) in query {
                    r = r.query(k, v);
                }
                r.call()
            }
            Request::Delete => {
                let mut r = self.agent.delete(&url).header(self.key_header, &self.key);
                for (k, v) in query {
                    r = r.query(k, v);
                }
                r.call()
            }
            Request::Post(body) => {
                let mut r = self
                    .agent
                    .post(&url)
                    .header(self.key_header, &self.key)
                    .header("Content-Type", "text/plain");
                for (k, v) in query {
                    r = r.query(k, v);
                }
                r.send(*body)
            }
        };
        let mut response = result.map_err(|e| self.describe(e))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(256 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| self.describe(e))?;
        Ok(Reply {
            status,
            body,
            node: node.to_string(),
        })
    }

    fn describe(&self, error: ureq::Error) -> String {
        match error {
            ureq::Error::Timeout(_) => {
                format!("no answer within {} s", self.timeout.as_secs_f64())
            }
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
                "connection refused".into()
            }
            ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => {
                format!("no answer within {} s", self.timeout.as_secs_f64())
            }
            ureq::Error::HostNotFound => "host not found".into(),
            other => other.to_string(),
        }
    }
}

#[cfg(test)]
#[path = "http_tests.rs"]
mod tests;
