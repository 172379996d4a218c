//! A small WebDriver client for the browser tests: chromedriver driving headless Chromium
//! (Debian packages `chromium` and `chromium-driver`; `.ci/run` installs them).
//!
//! Only what the tests use: a session, navigation, script execution, element lookup and click,
//! the browser's console log and screenshots. Each request goes on a fresh connection that the
//! driver closes after answering, so a response is read to its end.

use std::io::{BufRead, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Chromium's flags that work in a container without a display, a GPU or a network.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

fn find(program: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

/// A chromedriver process and one browser session; both end when dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
}

impl Browser {
    /// Start chromedriver and a headless Chromium with a fresh profile in `profile`.
    pub fn start(profile: &Path, width: u32, height: u32) -> Browser {
        let chromium = find("chromium")
            .or_else(|| find("chromium-browser"))
            .unwrap_or_else(|| {
                panic!("no chromium on PATH; install it: apt-get update && apt-get install -y chromium chromium-driver")
            });
        let chromedriver = find("chromedriver").unwrap_or_else(|| {
            panic!("no chromedriver on PATH; install it: apt-get update && apt-get install -y chromium-driver")
        });
        // a free port: bind, note it, let it go
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let mut b = Browser {
            driver,
            port,
            session: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while b.request("GET", "/status", None).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start within 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        args.push(format!("--window-size={width},{height}"));
        args.push("--hide-scrollbars".into());
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium.display().to_string(), "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
        }}});
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"].as_str().expect("a session id").to_string();
        b
    }

    /// One request; the parsed JSON answer (its `value`), or the connection error.
    fn request(&self, method: &str, path: &str, body: Option<Value>) -> std::io::Result<Value> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port))?;
        s.set_read_timeout(Some(Duration::from_secs(120)))?;
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )?;
        // the head, then the body by its length (the driver may keep the connection open)
        let mut r = std::io::BufReader::new(s);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if r.read_line(&mut line)? == 0 || line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let lower = head.to_ascii_lowercase();
        let length = lower
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse::<usize>().ok());
        let body = match length {
            Some(n) => {
                let mut buf = vec![0; n];
                r.read_exact(&mut buf)?;
                String::from_utf8_lossy(&buf).into_owned()
            }
            None => {
                let mut rest = String::new();
                r.read_to_string(&mut rest)?;
                if lower.contains("transfer-encoding: chunked") {
                    dechunk(&rest)
                } else {
                    rest
                }
            }
        };
        Ok(serde_json::from_str(&body).unwrap_or(Value::Null))
    }

    /// A command of this session (`path` after `/session/ID`), which must succeed.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = if path.starts_with("/session") && self.session.is_empty() {
            path.to_string()
        } else {
            format!("/session/{}{path}", self.session)
        };
        let v = self
            .request(method, &full, body)
            .unwrap_or_else(|e| panic!("{method} {full}: {e}"));
        if let Some(err) = v["value"]["error"].as_str() {
            panic!("{method} {full}: {err}: {}", v["value"]["message"]);
        }
        v["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// Run a script (a function body; `arguments` are `args`) and return its result.
    pub fn script(&self, body: &str, args: Value) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": body, "args": args})))
    }

    /// Wait until the script returns true.
    pub fn wait_for(&self, condition: &str, what: &str) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.script(&format!("return !!({condition});"), json!([])) != Value::Bool(true) {
            assert!(Instant::now() < deadline, "waited 60 s for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The WebDriver id of the first element matching a CSS selector.
    pub fn find(&self, css: &str) -> String {
        let v = self.call("POST", "/element", Some(json!({"using": "css selector", "value": css})));
        v.as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}"))
            .to_string()
    }

    /// Click an element as a user would: scrolled to the middle of the window first (as a user
    /// sees what they click; the driver's own scrolling would leave it under a sticky header).
    pub fn click(&self, css: &str) {
        let id = self.find(css);
        self.script(
            "document.querySelector(arguments[0]).scrollIntoView({block: 'center', inline: 'center'});",
            json!([css]),
        );
        self.call("POST", &format!("/element/{id}/click"), Some(json!({})));
    }

    /// The browser console's entries since the last call: (level, message).
    pub fn console(&self) -> Vec<(String, String)> {
        let v = self.call("POST", "/se/log", Some(json!({"type": "browser"})));
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|e| {
                        (
                            e["level"].as_str().unwrap_or("").to_string(),
                            e["message"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A PNG of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        use base64::Engine;
        let v = self.call("GET", "/screenshot", None);
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().expect("base64 PNG"))
            .expect("base64")
    }
}

/// The body of a chunked HTTP response.
fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.request("DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
