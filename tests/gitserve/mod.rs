//! Real repositories served from 127.0.0.1 by `git daemon`, for the tests that clone by URL.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// A `git daemon` on a free loopback port serving the bare repositories under its folder;
/// stopped when dropped.
pub struct GitServer {
    base: TempDir,
    port: u16,
    child: Child,
}

impl GitServer {
    pub fn start() -> GitServer {
        let base = TempDir::new().unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // `git daemon` would run git-daemon as a grandchild that outlives a kill of `git`:
        // start git-daemon itself, so Drop ends the server.
        let exec_path = Command::new("git").arg("--exec-path").output().unwrap();
        let exec_path = String::from_utf8(exec_path.stdout).unwrap();
        let child = Command::new(Path::new(exec_path.trim()).join("git-daemon"))
            .arg("--export-all")
            .arg("--reuseaddr")
            .arg(format!("--base-path={}", base.path().display()))
            .arg(format!("--port={port}"))
            .arg("--listen=127.0.0.1")
            .arg(base.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("git daemon starts");
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "git daemon did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        GitServer { base, port, child }
    }

    /// Publishes (or republishes) the work repository at `from` as `name` (e.g.
    /// `org/app.git`), and returns its git:// URL.
    pub fn publish(&self, from: &Path, name: &str) -> String {
        let dest = self.path_of(name);
        if dest.exists() {
            run(from, &["push", "-q", "--mirror", dest.to_str().unwrap()]);
        } else {
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            run(
                from,
                &["clone", "-q", "--bare", ".", dest.to_str().unwrap()],
            );
        }
        self.url(name)
    }

    pub fn url(&self, name: &str) -> String {
        format!("git://127.0.0.1:{}/{name}", self.port)
    }

    /// The file:// URL of a published repository.
    pub fn file_url(&self, name: &str) -> String {
        format!("file://{}", self.path_of(name).display())
    }

    pub fn path_of(&self, name: &str) -> PathBuf {
        self.base.path().join(name)
    }
}

impl Drop for GitServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
